/**
 * The reference for single-event intake: a bare Fastify hello-world, started as its own process
 * like the intake API, taking the same JSON body on POST /hello.
 *
 *   PORT=3998 node tools/run-ts.mjs benchmarks/support/hello-fastify.ts
 */
import Fastify from 'fastify';

const port = Number(process.env['PORT'] ?? 3998);
const app = Fastify();
app.get('/hello', async () => ({ hello: 'world' }));
app.post('/hello', async (_request, reply) => reply.code(201).send({ hello: 'world' }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
app.listen({ port, host: '127.0.0.1' }).then(
  () => console.log(`hello-world listening on http://127.0.0.1:${port}/hello`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
