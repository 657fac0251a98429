import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_EVENT_TYPES, TAXONOMY_VERSION } from './case-events';
import { DOMAIN_ERROR_CODES } from './errors';

// The catalog is what agencies build against; these checks keep it from drifting silently.
const catalog = readFileSync(join(__dirname, '../../../../docs/event-catalog.md'), 'utf8');

describe('docs/event-catalog.md', () => {
  it('states the current taxonomy version', () => {
    expect(catalog).toContain(`**Taxonomy version: ${TAXONOMY_VERSION}**`);
  });

  it.each(CASE_EVENT_TYPES)('has a section for %s', (type) => {
    expect(catalog).toMatch(new RegExp(`^### .*\\b${type}\\b`, 'm'));
  });

  it.each(DOMAIN_ERROR_CODES)('explains error code %s in the error table', (code) => {
    expect(catalog).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
