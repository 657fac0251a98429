import { GraphQLError, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Fields the cost count visits at most; a document whose fragments spread each other over and
 * over expands past it (graphql-query-complexity then stops and throws `TooManyQueryNodes`).
 */
export const MAX_QUERY_NODES = 1_000;

/** Thrown when the document expands past MAX_QUERY_NODES fields. */
export class TooManyQueryNodes extends Error {
  constructor() {
    super(`The query expands to more than ${MAX_QUERY_NODES} fields`);
    this.name = 'TooManyQueryNodes';
  }
}

/**
 * How many fields the document's largest operation expands to, a fragment counted each time
 * it is spread, saturating just past `cap`. Each fragment is measured once, so this is linear
 * in the document's length where expanding it would be exponential.
 */
export function expandedFieldCount(document: DocumentNode, cap: number): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const sizes = new Map<string, number>();
  const sizeOf = (selectionSet: SelectionSetNode | undefined, visiting: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += 1 + sizeOf(selection.selectionSet, visiting);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += sizeOf(selection.selectionSet, visiting);
      else if (!visiting.has(selection.name.value)) {
        const name = selection.name.value;
        let size = sizes.get(name);
        if (size === undefined) {
          size = sizeOf(fragments.get(name)?.selectionSet, new Set([...visiting, name]));
          sizes.set(name, size);
        }
        total += size;
      }
      if (total > cap) return cap + 1;
    }
    return total;
  };
  let largest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) largest = Math.max(largest, sizeOf(definition.selectionSet, new Set()));
  }
  return largest;
}

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
  /** Documents whose expansion was counted and found within MAX_QUERY_NODES. */
  private readonly expandable = new WeakSet<DocumentNode>();
  private readonly documents = new WeakMap<DocumentNode, { schema: GraphQLSchema; variables: string[]; costs: Map<string, number> }>();

  cost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): number {
    if (!this.expandable.has(document)) {
      if (expandedFieldCount(document, MAX_QUERY_NODES) > MAX_QUERY_NODES) throw new TooManyQueryNodes();
      this.expandable.add(document);
    }
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
  try {
    return getComplexity({ schema, query: document, variables, maxQueryNodes: MAX_QUERY_NODES, estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })] });
  } catch (error) {
    if (error instanceof GraphQLError && error.message === 'Query exceeds the maximum allowed number of nodes.') throw new TooManyQueryNodes();
    throw error;
  }
}
