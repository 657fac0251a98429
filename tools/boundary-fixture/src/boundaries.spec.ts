import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '../../..');
const bin = (name: string) => join(workspaceRoot, 'node_modules/.bin', name);

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx lint rule reads the cached project graph and silently skips without one.
    const graph = spawnSync(bin('nx'), ['show', 'projects'], { cwd: workspaceRoot, encoding: 'utf8' });
    expect(graph.status).toBe(0);
  }, 60_000);

  it('refuses a domain-tagged file that imports an adapter library', () => {
    const lint = spawnSync(bin('eslint'), ['--format', 'json', join(__dirname, 'forbidden-import.fixture.ts')], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    expect(lint.status).toBe(1);
    const [result] = JSON.parse(lint.stdout) as { messages: LintMessage[] }[];
    const violations = result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
    expect(violations).toHaveLength(1);
    expect(violations[0].severity).toBe(2);
    expect(violations[0].message).toContain('type:domain');
  }, 60_000);
});
