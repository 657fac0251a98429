import { Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { StatusApiError } from '../shared/status-errors';

/**
 * Introspection (what GraphiQL and code generators send) nests `ofType` a dozen levels deep
 * by design. Its depth is bounded by the schema's own shape, so it gets a limit of its own
 * rather than forcing the data limit up.
 */
const INTROSPECTION_MAX_DEPTH = 15;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Refuses operations nested deeper than `maxDepth` fields (fragments add no level of their
 * own), with the coded error QUERY_TOO_DEEP. A validation rule rather than Mercurius'
 * `queryDepth` so the error carries a code and introspection can be measured on its own.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    // A fragment's depth is the same wherever it is spread: measured once, so fragments that
    // spread others several times cost linear time rather than time exponential in their number.
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode | undefined, visiting: ReadonlySet<string>, introspection: boolean): number => {
      if (!selectionSet) return 0;
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let depth: number;
        if (selection.kind === Kind.FIELD) {
          if (!introspection && INTROSPECTION_ROOTS.has(selection.name.value)) {
            const inner = 1 + depthOf(selection.selectionSet, visiting, true);
            if (inner > INTROSPECTION_MAX_DEPTH) {
              context.reportError(
                new StatusApiError('QUERY_TOO_DEEP', `The introspection query nests ${inner} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}.`, { maxDepth: INTROSPECTION_MAX_DEPTH }, 400),
              );
            }
            depth = 1;
          } else {
            depth = 1 + depthOf(selection.selectionSet, visiting, introspection);
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet, visiting, introspection);
        } else {
          const name = selection.name.value;
          // A fragment cycle is refused by GraphQL's own rules; do not loop on it here.
          if (visiting.has(name)) continue;
          const key = `${introspection}:${name}`;
          const known = fragmentDepths.get(key);
          if (known === undefined) {
            depth = depthOf(context.getFragment(name)?.selectionSet, new Set([...visiting, name]), introspection);
            fragmentDepths.set(key, depth);
          } else {
            depth = known;
          }
        }
        deepest = Math.max(deepest, depth);
      }
      return deepest;
    };

    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set(), false);
        if (depth > maxDepth) {
          const name = operation.name ? `"${operation.name.value}"` : 'The operation';
          context.reportError(
            new StatusApiError('QUERY_TOO_DEEP', `${name} nests fields ${depth} levels deep; the limit is ${maxDepth}. Ask for less nested data.`, { depth, maxDepth }, 400),
          );
        }
      },
    };
  };
}
