/**
 * The alert rules in infra/prometheus are valid for Debian's Prometheus (`promtool check rules`)
 * and their unit tests pass (`promtool test rules`); a broken rule file is refused, so the checks
 * can fail.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const promtool = join(process.env['PROMETHEUS_BIN_DIR'] ?? '/usr/bin', 'promtool');
const rulesDir = resolve(__dirname, '../../../infra/prometheus');

function run(args: string[], cwd = rulesDir): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(promtool, args, { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe('alert rules (promtool)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'alert-rules-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks the rule file', async () => {
    const { code, output } = await run(['check', 'rules', 'alerts.yml']);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(code).toBe(0);
  });

  it('passes the rules unit tests, which fire each alert and keep it quiet', async () => {
    const { code, output } = await run(['test', 'rules', 'alerts.test.yml']);
    expect(output).toContain('SUCCESS');
    expect(output).not.toContain('FAILED');
    expect(code).toBe(0);
  });

  it('refuses a rule file with a broken expression', async () => {
    const bad = join(scratch, 'bad.yml');
    writeFileSync(bad, ['groups:', '  - name: broken', '    rules:', '      - alert: Broken', '        expr: sum(rate(projection_events_total[5m])', ''].join('\n'));
    const { code, output } = await run(['check', 'rules', bad], scratch);
    expect(code).not.toBe(0);
    expect(output).toMatch(/FAILED|error/i);
  });

  it('fails a rules test whose expected alert does not fire', async () => {
    const rules = join(scratch, 'rules.yml');
    const tests = join(scratch, 'rules.test.yml');
    writeFileSync(rules, ['groups:', '  - name: one', '    rules:', '      - alert: LagHigh', '        expr: projection_lag_seconds > 60', ''].join('\n'));
    writeFileSync(
      tests,
      [
        'rule_files: [rules.yml]',
        'tests:',
        '  - interval: 1m',
        "    input_series: [{ series: 'projection_lag_seconds{projection=\"case-read-models\"}', values: '0x10' }]",
        '    alert_rule_test:',
        '      - { eval_time: 5m, alertname: LagHigh, exp_alerts: [{ exp_labels: { projection: case-read-models } }] }',
        '',
      ].join('\n'),
    );
    const { code, output } = await run(['test', 'rules', 'rules.test.yml'], scratch);
    expect(code).not.toBe(0);
    expect(output).toContain('FAILED');
  });
});
