/**
 * The reference for the query benchmark: a bare Mercurius hello-world on Fastify, with
 * Mercurius's defaults, started as its own process like the status API.
 *
 *   PORT=3999 node tools/run-ts.mjs benchmarks/query/hello-mercurius.ts
 */
import Fastify from 'fastify';
import mercurius from 'mercurius';

async function main(): Promise<void> {
  const port = Number(process.env['PORT'] ?? 3999);
  const app = Fastify();
  await app.register(mercurius, {
    schema: 'type Query { hello: String! }',
    resolvers: { Query: { hello: async () => 'world' } },
  });
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`hello-world listening on http://127.0.0.1:${port}/graphql`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
