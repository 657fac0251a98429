import { readFileSync } from 'node:fs';
import { PUBLISHED_SCHEMA_FILE, printPublishedSchema } from './published-schema';

describe('the published GraphQL schema (docs/api/schema.graphql)', () => {
  it('is the schema the status API serves', async () => {
    const served = await printPublishedSchema();
    const published = readFileSync(PUBLISHED_SCHEMA_FILE, 'utf8');
    if (published !== served) {
      const [left, right] = [published.split('\n'), served.split('\n')];
      const differs = left.findIndex((text, index) => text !== right[index]);
      const line = differs === -1 ? left.length : differs;
      throw new Error(
        'docs/api/schema.graphql is not the schema the status API serves. Run `npm run graphql:generate` to refresh it and the typed operations of its clients, ' +
          `and review the change.\nFirst difference, line ${line + 1}:\n- ${left[line] ?? ''}\n+ ${right[line] ?? ''}`,
      );
    }
    expect(published).toContain('type Query {');
  }, 60_000);
});
