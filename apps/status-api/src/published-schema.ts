import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { createStatusApp } from '@case-status/public-api';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels } from '@case-status/public-api/testing';

/**
 * The status API's GraphQL schema as it serves it, printed as SDL. The copy checked in at
 * `docs/api/schema.graphql` is what the website's typed operations are generated from, so a
 * change of the code-first schema shows up as a change of that file (and of the clients'
 * types) in review. Refresh both with `npm run graphql:generate`.
 */
export const PUBLISHED_SCHEMA_FILE = join(__dirname, '../../../docs/api/schema.graphql');

export async function printPublishedSchema(): Promise<string> {
  // The schema does not depend on what serves the data: nothing is asked of these.
  const app = await createStatusApp({ queries: new InMemoryReadModels(), changeFeed: new InMemoryCaseStatusChangeFeed(), caseworkerKeys: {}, graphiql: false, logger: false });
  try {
    return `${printSchema(app.get(GraphQLSchemaHost).schema)}\n`;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  printPublishedSchema().then(
    (sdl) => writeFileSync(PUBLISHED_SCHEMA_FILE, sdl),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
