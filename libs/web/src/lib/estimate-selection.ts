/**
 * The per-case estimate is a field the status API may or may not have (`CaseStatus.estimate`),
 * and its shape may grow. The site reads the schema and asks for the parts of the estimate
 * it shows, as far as the schema has them: a field the API lacks is left out rather than
 * failing the whole case query.
 */

export interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}

export interface SchemaField {
  name: string;
  args: { type: { kind: string }; defaultValue: string | null }[];
  type: TypeRef;
}

export type SchemaTypes = { name: string; kind: string; fields: SchemaField[] | null }[];

/** What the estimate component shows; `true` marks a leaf. */
export interface Wanted {
  [field: string]: true | Wanted;
}

const DATE: Wanted = { date: true, probability: true, atRisk: true };
const BILINGUAL: Wanted = { en: true, es: true };

export const WANTED_ESTIMATE: Wanted = {
  asOf: true,
  clock: true,
  queueProgress: { paceWeeks: true },
  likelyBy: DATE,
  eightyPercentBy: DATE,
  reasons: { code: true, probability: true, message: BILINGUAL },
  staleness: { stale: true, explanation: BILINGUAL },
  disclaimer: BILINGUAL,
};

function namedType(ref: TypeRef): TypeRef {
  let current = ref;
  while (current.ofType) current = current.ofType;
  return current;
}

/** The selection set for `CaseStatus.estimate`, or null when the schema has no such field (or none of its parts). */
export function estimateSelection(types: SchemaTypes, wanted: Wanted = WANTED_ESTIMATE): string | null {
  const byName = new Map(types.map((type) => [type.name, type]));
  const field = byName.get('CaseStatus')?.fields?.find((candidate) => candidate.name === 'estimate');
  if (!field) return null;
  return selectionOf(namedType(field.type), byName, wanted);
}

function selectionOf(type: TypeRef, byName: Map<string, SchemaTypes[number]>, wanted: Wanted): string | null {
  const fields = type.name ? byName.get(type.name)?.fields : null;
  if (!fields) return null;
  const parts: string[] = [];
  for (const [name, want] of Object.entries(wanted)) {
    const field = fields.find((candidate) => candidate.name === name);
    // A field that needs an argument is not one the site knows how to ask for.
    if (!field || field.args.some((arg) => arg.type.kind === 'NON_NULL' && arg.defaultValue === null)) continue;
    const target = namedType(field.type);
    const leaf = target.kind === 'SCALAR' || target.kind === 'ENUM';
    if (want === true && leaf) parts.push(name);
    else if (want !== true && target.kind === 'OBJECT') {
      const inner = selectionOf(target, byName, want);
      if (inner) parts.push(`${name} ${inner}`);
    }
  }
  return parts.length > 0 ? `{ ${parts.join(' ')} }` : null;
}
