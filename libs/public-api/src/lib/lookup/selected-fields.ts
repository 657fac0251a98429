import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields selected directly in these selection sets, looking through inline
 * fragments and named fragments (each followed once). Directives are not evaluated: a field
 * under `@skip(if: true)` is still named.
 */
function fieldNamesIn(selectionSets: Iterable<SelectionSetNode | undefined>, fragment: (name: string) => FragmentDefinitionNode | undefined): Set<string> {
  const names = new Set<string>();
  const followed = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!followed.has(selection.name.value)) {
        followed.add(selection.name.value);
        visit(fragment(selection.name.value)?.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return names;
}

/**
 * The fields the query asks of what a resolver returns: for reading ahead what the field
 * resolvers below it will need. A name may be listed that the answer then skips, so this
 * decides what to read, never what to show.
 */
export function selectedFieldNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  return fieldNamesIn(
    info.fieldNodes.map((node) => node.selectionSet),
    (name) => info.fragments[name],
  );
}
