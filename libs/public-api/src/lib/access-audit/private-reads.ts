import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { AccessRead } from '@case-status/identity';
import { StatusApiError } from '../shared/status-errors';
import type { AccessAuditLog } from './access-audit.options';

/**
 * The fields selected under `path` (field names from the resolved field down, e.g.
 * `['privateDetails']`), through fragments: which private fields an answer serves.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): string[] {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) sets = fieldsOf(info, sets).flatMap((field) => (field.name.value === name && field.selectionSet ? [field.selectionSet] : []));
  return [...new Set(fieldsOf(info, sets).map((field) => field.name.value).filter((name) => !name.startsWith('__')))];
}

function fieldsOf(info: GraphQLResolveInfo, sets: readonly SelectionSetNode[]): FieldNode[] {
  return sets.flatMap((set) =>
    set.selections.flatMap((selection): FieldNode[] => {
      if (selection.kind === 'Field') return [selection];
      const inner = selection.kind === 'InlineFragment' ? selection.selectionSet : info.fragments[selection.name.value]?.selectionSet;
      return inner ? fieldsOf(info, [inner]) : [];
    }),
  );
}

/**
 * Records the answer's private reads before it is served: without an audit to record them
 * in, no private data is served at all.
 */
export async function audited(audit: AccessAuditLog | null, reads: readonly AccessRead[]): Promise<void> {
  if (reads.every((read) => read.fields.length === 0)) return;
  if (!audit) throw new StatusApiError('AUDIT_UNAVAILABLE', 'Private case details are not served on this server: it keeps no access audit.');
  await audit.record(reads);
}
