import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from './selected-fields';

/** What a resolver of `item` sees selected of its result, for a query. */
async function selectedOfItem(query: string, variables?: Record<string, unknown>): Promise<string[]> {
  let seen: string[] = [];
  const item = new GraphQLObjectType({ name: 'Item', fields: { a: { type: GraphQLString }, b: { type: GraphQLString }, c: { type: GraphQLString } } });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        item: {
          type: item,
          resolve: (_source: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
            seen = [...selectedFieldNames(info)].sort();
            return { a: 'a', b: 'b', c: 'c' };
          },
        },
      },
    }),
  });
  const result = await graphql({ schema, source: query, variableValues: variables });
  expect(result.errors).toBeUndefined();
  return seen;
}

describe('selectedFieldNames', () => {
  it('names the fields selected directly', async () => {
    expect(await selectedOfItem('{ item { a } }')).toEqual(['a']);
  });

  it('looks through named and inline fragments, and fields asked twice under aliases', async () => {
    expect(await selectedOfItem('{ item { ...F x: a } } fragment F on Item { ... on Item { b } a }')).toEqual(['a', 'b']);
  });

  it('names a field a directive may drop: the name is for reading ahead, not for the answer', async () => {
    expect(await selectedOfItem('query ($skip: Boolean!) { item { a c @skip(if: $skip) } }', { skip: true })).toEqual(['a', 'c']);
  });
});
