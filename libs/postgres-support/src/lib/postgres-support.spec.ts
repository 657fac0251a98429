import { assertSchemaName, quoteIdent } from './postgres-support';

describe('identifiers', () => {
  it.each(['read_models', '_x', 'a1'])('accepts the schema name %s', (name) => {
    expect(() => assertSchemaName(name)).not.toThrow();
  });

  it.each(['Read', '1abc', 'a-b', 'a;drop', '', 'a'.repeat(49)])('refuses the schema name "%s"', (name) => {
    expect(() => assertSchemaName(name)).toThrow(TypeError);
  });

  it('applies a shorter limit when asked', () => {
    expect(() => assertSchemaName('a'.repeat(41), 40)).toThrow(/1-40 characters/);
  });

  it('doubles quotes inside quoted identifiers', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
