import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { serverAudits, type AuditResult } from 'graphql-http';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, signingKey } from '../testing';
import { createStatusApp } from './status.app';

/**
 * The GraphQL over HTTP conformance audits of the `graphql-http` package, run against the
 * real listening server. Errors (MUST) fail the test; warnings (SHOULD/MAY) are printed and
 * listed in docs/api/graphql.md.
 */
describe('GraphQL over HTTP audits (graphql-http), on a listening server', () => {
  let app: NestFastifyApplication;
  let results: AuditResult[];

  beforeAll(async () => {
    app = await createStatusApp({
      queries: new InMemoryReadModels(),
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ VBA: await signingKey('vba-1') }),
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    results = await Promise.all(serverAudits({ url: `http://127.0.0.1:${port}/graphql` }).map((audit) => audit.fn()));
    const counts = Object.fromEntries(['ok', 'warn', 'error'].map((status) => [status, results.filter((r) => r.status === status).length]));
    const warnings = results.filter((r) => r.status === 'warn').map((r) => `  ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.info(`graphql-http audits: ${JSON.stringify(counts)}\n${warnings.join('\n')}`);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('ran the audits', () => {
    expect(results.length).toBeGreaterThan(30);
  });

  it('fails no MUST of the GraphQL over HTTP specification', () => {
    const failures = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failures).toEqual([]);
  });
});
