import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { PUBLIC_STATUS_CODES, PUBLIC_STEPS } from '@case-status/case-domain';
import { CASE_STATUS_CHANGED_V1, caseStatusChangedV1Schema } from '@case-status/integration-events';
import { CASE_STATUS_CHANGED_DLQ } from './topics';

const source = readFileSync(join(__dirname, '../../../../docs/asyncapi.yaml'), 'utf8');

describe('docs/asyncapi.yaml', () => {
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  beforeAll(async () => {
    parsed = await new Parser().parse(source);
  });

  it('is a valid AsyncAPI 3.0 document, without errors', () => {
    const errors = parsed.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(parsed.document?.version()).toBe('3.0.0');
  });

  it('names the status-change topic and its dead-letter topic', () => {
    const addresses = parsed.document?.channels().all().map((c) => c.address());
    expect(addresses).toEqual(expect.arrayContaining([CASE_STATUS_CHANGED_V1.topic, CASE_STATUS_CHANGED_DLQ]));
  });

  it('describes the payload the code sends: same required fields, same status codes and steps', () => {
    const message = parsed.document?.components().messages().get('CaseStatusChangedV1');
    const payload = message?.payload()?.json() as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect([...payload.required].sort()).toEqual(Object.keys(caseStatusChangedV1Schema.shape).sort());
    expect(payload.properties['statusCode'].enum).toEqual([...PUBLIC_STATUS_CODES]);
    expect(payload.properties['step'].enum).toEqual([...PUBLIC_STEPS]);
  });

  it('requires the CloudEvents headers, with the contract’s type', () => {
    const message = parsed.document?.components().messages().get('CaseStatusChangedV1');
    const headers = message?.headers()?.json() as { required: string[]; properties: Record<string, { const?: string }> };
    expect(headers.required).toEqual(expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time']));
    expect(headers.properties['ce_type'].const).toBe(CASE_STATUS_CHANGED_V1.type);
  });

  it('reports a document that breaks the spec (the check can fail)', async () => {
    const broken = await new Parser().parse(source.replace('address: case.status-changed.v1\n', 'address: 42\n').replace('asyncapi: 3.0.0', 'asyncapi: 3.0.0\nnonsense: true'));
    expect(broken.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length).toBeGreaterThan(0);
  });
});
