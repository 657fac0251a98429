import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where the console is served; the page itself is the only HTML answer of the status API. */
const GRAPHQL_CONSOLE_PATH = '/graphiql';

const FILES: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

export function isGraphqlConsolePage(path: string): boolean {
  return path === GRAPHQL_CONSOLE_PATH;
}

/**
 * A small GraphQL console at /graphiql, from files of our own (./page/). It
 * replaces Mercurius' GraphiQL page, which loads React and GraphiQL from a public CDN: this
 * page loads nothing from another origin, so its CSP allows only its own script and style.
 */
export function registerGraphqlConsole(app: FastifyInstance): void {
  for (const [suffix, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(join(__dirname, 'page', file));
    app.get(`${GRAPHQL_CONSOLE_PATH}${suffix}`, async (_request, reply) => reply.type(type).send(body));
  }
}
