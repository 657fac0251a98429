import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** Per document, at most this many costs are kept (one per value of the variables the cost depends on). */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * The variables an operation's cost can depend on: those used in the arguments of a field
 * whose complexity is a function (it is given the arguments, e.g. a page size) and those used
 * in a directive (`@include(if: $x)` and `@skip` drop a field from the count). Any other
 * variable, such as a receipt number, cannot change the cost.
 */
export function costVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const names = new Set<string>();
  /** Per field entered, whether its arguments reach its complexity. */
  const argumentsCount: boolean[] = [];
  let counting = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter: () => {
          argumentsCount.push(typeof typeInfo.getFieldDef()?.extensions?.['complexity'] === 'function');
        },
        leave: () => {
          argumentsCount.pop();
        },
      },
      Argument: {
        enter: () => {
          if (argumentsCount.at(-1)) counting++;
        },
        leave: () => {
          if (argumentsCount.at(-1)) counting--;
        },
      },
      Directive: {
        enter: () => {
          counting++;
        },
        leave: () => {
          counting--;
        },
      },
      Variable: (node) => {
        if (counting > 0) names.add(node.name.value);
      },
    }),
  );
  return [...names].sort();
}

/**
 * The complexity of an operation (graphql-query-complexity: one point per field unless the
 * field says otherwise), computed once per document and per value of its `costVariables`:
 * a lookup that differs from the one before only in its receipt number costs nothing to
 * judge. Documents are keys as Mercurius keeps them (the same object for the same query text).
 * Without variables the cost is always computed, so a missing required variable is still
 * reported here, as before.
 */
export class OperationCosts {
  private readonly documents = new WeakMap<DocumentNode, { schema: GraphQLSchema; variables: string[]; costs: Map<string, number> }>();

  cost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): number {
    if (!variables) return complexity(schema, document, {});
    let known = this.documents.get(document);
    if (!known || known.schema !== schema) {
      known = { schema, variables: costVariables(schema, document), costs: new Map() };
      this.documents.set(document, known);
    }
    // A variable left out (its default applies) and one given as null are different keys.
    const key = JSON.stringify(known.variables.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : [])));
    const kept = known.costs.get(key);
    if (kept !== undefined) return kept;
    const cost = complexity(schema, document, variables);
    if (known.costs.size >= MAX_COSTS_PER_DOCUMENT) known.costs.clear();
    known.costs.set(key, cost);
    return cost;
  }
}

function complexity(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  return getComplexity({ schema, query: document, variables, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
}
