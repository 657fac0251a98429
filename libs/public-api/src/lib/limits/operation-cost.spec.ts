import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { costVariables, expandedFieldCount, OperationCosts } from './operation-cost';

/** A page whose cost is its size times an entry's, and a lookup whose cost its argument does not change. */
function schemaCounting(): { schema: GraphQLSchema; estimates: () => number } {
  let estimates = 0;
  const entry = new GraphQLObjectType({ name: 'Entry', fields: { id: { type: GraphQLString } } });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        page: {
          type: new GraphQLList(entry),
          args: { first: { type: GraphQLInt } },
          extensions: {
            complexity: ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) => {
              estimates++;
              return 1 + childComplexity * (typeof args['first'] === 'number' ? args['first'] : 20);
            },
          },
        },
        lookup: { type: entry, args: { key: { type: GraphQLString } }, extensions: { complexity: 5 } },
      },
    }),
  });
  return { schema, estimates: () => estimates };
}

const counted = (schema: GraphQLSchema, query: string, variables: Record<string, unknown>) =>
  getComplexity({ schema, query: parse(query), variables, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });

describe('costVariables', () => {
  it('names the variables in arguments a complexity function reads and in directives, not the others', () => {
    const { schema } = schemaCounting();
    const document = parse(`query ($key: String, $n: Int, $more: Boolean!, $less: Boolean!) {
      lookup(key: $key) { id @include(if: $more) }
      page(first: $n) { ...Entry }
    }
    fragment Entry on Entry { id @skip(if: $less) }`);
    expect(costVariables(schema, document)).toEqual(['less', 'more', 'n']);
  });
});

describe('OperationCosts', () => {
  it('gives what graphql-query-complexity gives, for each page size, left out and null included', () => {
    const { schema } = schemaCounting();
    const query = 'query ($n: Int = 7, $key: String) { lookup(key: $key) { id } page(first: $n) { id } }';
    const document = parse(query);
    const costs = new OperationCosts();
    for (const variables of [{ n: 2 }, { n: 50 }, {}, { n: null }, { n: 2, key: 'a' }, { key: 'b' }]) {
      expect([variables, costs.cost(schema, document, variables)]).toEqual([variables, counted(schema, query, variables)]);
    }
    expect(costs.cost(schema, document, {})).not.toBe(costs.cost(schema, document, { n: null }));
  });

  it('computes a document’s cost once for lookups that differ only in variables the cost does not read', () => {
    const { schema, estimates } = schemaCounting();
    const document = parse('query ($key: String, $n: Int) { lookup(key: $key) { id } page(first: $n) { id } }');
    const costs = new OperationCosts();
    const answers = ['a', 'b', 'c'].map((key) => costs.cost(schema, document, { key, n: 3 }));
    expect(answers).toEqual([10, 10, 10]);
    expect(estimates()).toBe(1);
    expect(costs.cost(schema, document, { key: 'd', n: 4 })).toBe(11);
    expect(estimates()).toBe(2);
  });

  it('computes the cost every time for a request without variables, so a missing one is still refused', () => {
    const { schema, estimates } = schemaCounting();
    const document = parse('query ($n: Int!) { page(first: $n) { id } }');
    const costs = new OperationCosts();
    expect(costs.cost(schema, document, { n: 1 })).toBe(2);
    expect(() => costs.cost(schema, document, undefined)).toThrow(/"\$n" of required type "Int!" was not provided/);
    expect(estimates()).toBe(1);
  });
});

describe('expandedFieldCount', () => {
  it('counts a fragment each time it is spread, nested fields included', () => {
    expect(expandedFieldCount(parse('{ a { b c } ...F ...F } fragment F on Query { d { e } }'), 100)).toBe(7);
  });

  it('measures a fragment once, so a doubling chain of 150 fragments is counted at once and saturates past the cap', () => {
    const fragments = Array.from({ length: 150 }, (_, i) => `fragment F${i} on Query { ${i < 149 ? `...F${i + 1} ...F${i + 1}` : 'x'} }`).join(' ');
    expect(expandedFieldCount(parse(`{ ...F0 } ${fragments}`), 1000)).toBe(1001);
  });

  it('stops at a fragment cycle (refused by validation) instead of looping', () => {
    expect(expandedFieldCount(parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }'), 100)).toBe(2);
  });
});
