import { z } from 'zod';
import { APPOINTMENT_KINDS, DECISION_OUTCOMES, DOCUMENT_KINDS, REPRESENTATIVE_KINDS, parseAccessCodeHash, type CaseEventType } from '@case-status/case-domain';

/**
 * The intake API's published JSON contract, version 1: what an agency system submits for one
 * case lifecycle event. `data` is what the agency knows; fields the platform can derive (the
 * office a case is transferred from, an appointment's previous time) are filled in on record.
 */

const id = z.string().trim().min(1).max(100);
const office = z.string().trim().min(1).max(20);
const dateTime = z.iso.datetime({ offset: true });
const noData = z.object({}).strict();
/** Short enough to reject without reading far; the format and its bounds are the domain's (parseAccessCodeHash). */
const accessCodeHash = z
  .string()
  .max(200)
  .superRefine((value, context) => {
    const parsed = parseAccessCodeHash(value);
    if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.problem });
  });
/** Either who the identity provider says the representative is, or an address it must have verified: one or the other, named field by field. */
const representativeIdentity = z
  .object({ issuer: z.url({ protocol: /^https?$/ }).max(300).optional(), subject: z.string().trim().min(1).max(255).optional(), email: z.email().max(254).optional() })
  .strict()
  .superRefine((identity, context) => {
    const { issuer, subject, email } = identity;
    if (email !== undefined) {
      if (issuer !== undefined || subject !== undefined) context.addIssue({ code: 'custom', path: [issuer !== undefined ? 'issuer' : 'subject'], message: 'give either an e-mail address or an issuer and subject, not both' });
      return;
    }
    if (issuer === undefined) context.addIssue({ code: 'custom', path: ['issuer'], message: 'give the identity provider issuer and subject, or an e-mail address' });
    if (subject === undefined) context.addIssue({ code: 'custom', path: ['subject'], message: 'give the subject the identity provider uses for the representative, with its issuer' });
  });

export const SUBMISSION_DATA_SCHEMAS = {
  CaseReceived: z.object({ formType: z.string().trim().min(1).max(30), office, accessCodeHash: accessCodeHash.optional() }).strict(),
  CaseReviewStarted: noData,
  AppointmentScheduled: z.object({ appointmentId: id, kind: z.enum(APPOINTMENT_KINDS), scheduledFor: dateTime, office }).strict(),
  AppointmentRescheduled: z.object({ appointmentId: id, scheduledFor: dateTime, office: office.optional() }).strict(),
  AppointmentAttended: z.object({ appointmentId: id }).strict(),
  AppointmentMissed: z.object({ appointmentId: id }).strict(),
  EvidenceRequested: z.object({ requestId: id, dueDate: z.iso.date(), description: z.string().trim().min(1).max(2000) }).strict(),
  EvidenceReceived: z.object({ requestId: id }).strict(),
  CaseTransferred: z.object({ toOffice: office }).strict(),
  DecisionIssued: z.object({ outcome: z.enum(DECISION_OUTCOMES) }).strict(),
  CaseReopened: z.object({ reason: z.string().trim().min(1).max(2000) }).strict(),
  DocumentProduced: z.object({ documentId: id, kind: z.enum(DOCUMENT_KINDS) }).strict(),
  DocumentMailed: z.object({ documentId: id, trackingNumber: z.string().trim().min(1).max(100).optional() }).strict(),
  CaseClosed: noData,
  AccessCodeIssued: z.object({ accessCodeHash }).strict(),
  RepresentativeAppointed: z
    .object({
      representativeId: id,
      name: z.string().trim().min(1).max(200),
      kind: z.enum(REPRESENTATIVE_KINDS),
      identity: representativeIdentity,
      effectiveFrom: z.iso.date(),
    })
    .strict(),
  RepresentativeWithdrawn: z.object({ representativeId: id }).strict(),
} satisfies Record<CaseEventType, z.ZodType>;

export const SUBMITTED_EVENT_TYPES = Object.keys(SUBMISSION_DATA_SCHEMAS) as CaseEventType[];

/** One event as submitted. `expectedRevision`, when given, makes the write conditional. */
const submissionEnvelopeSchema = z
  .object({
    eventId: z.uuid(),
    type: z.enum(SUBMITTED_EVENT_TYPES as [CaseEventType, ...CaseEventType[]]),
    occurredAt: dateTime,
    data: z.record(z.string(), z.unknown()).default({}),
    expectedRevision: z.union([z.int().min(-1), z.string().regex(/^(-1|\d{1,19})$/)]).optional(),
  })
  .strict();

const batchItemEnvelopeSchema = submissionEnvelopeSchema.extend({ receiptNumber: z.string().trim().min(1).max(40) }).strict();

export const MAX_BATCH_SIZE = 500;

export type SubmissionData<T extends CaseEventType> = z.infer<(typeof SUBMISSION_DATA_SCHEMAS)[T]>;

export type Submission = {
  [T in CaseEventType]: {
    eventId: string;
    type: T;
    occurredAt: string;
    data: SubmissionData<T>;
    /** The case's revision this event expects to follow; -1 for a case not yet recorded. */
    expectedRevision?: bigint;
  };
}[CaseEventType];

export interface FieldError {
  /** JSON pointer into the submitted item, e.g. `/data/dueDate`. */
  field: string;
  reason: string;
}

export type ParseResult = { ok: true; submission: Submission } | { ok: false; errors: FieldError[] };

function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function toFieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${prefix}${pointer([...issue.path, key])}`, reason: 'is not a known field' }));
    }
    return [{ field: `${prefix}${pointer(issue.path)}` || '/', reason: issue.message }];
  });
}

/** Validates one submitted item: the envelope first, then `data` against its type's schema. */
export function parseSubmission(body: unknown, schema: z.ZodType = submissionEnvelopeSchema): ParseResult & { receiptNumber?: string } {
  const envelope = schema.safeParse(body);
  if (!envelope.success) return { ok: false, errors: toFieldErrors(envelope.error, '') };
  const value = envelope.data as z.infer<typeof batchItemEnvelopeSchema>;
  const data = SUBMISSION_DATA_SCHEMAS[value.type].safeParse(value.data);
  if (!data.success) return { ok: false, errors: toFieldErrors(data.error, '/data') };
  const submission = {
    eventId: value.eventId.toLowerCase(),
    type: value.type,
    occurredAt: value.occurredAt,
    data: data.data,
    expectedRevision: value.expectedRevision === undefined ? undefined : BigInt(value.expectedRevision),
  } as Submission;
  return { ok: true, submission, receiptNumber: value.receiptNumber };
}

export function parseBatchItem(body: unknown): ParseResult & { receiptNumber?: string } {
  return parseSubmission(body, batchItemEnvelopeSchema);
}

/** JSON Schema (2020-12) of the published contract, for the OpenAPI document. */
export function submissionJsonSchemas() {
  const dataSchemas = Object.fromEntries(
    SUBMITTED_EVENT_TYPES.map((type) => [type, z.toJSONSchema(SUBMISSION_DATA_SCHEMAS[type], { target: 'openapi-3.0' })]),
  );
  return {
    submission: z.toJSONSchema(submissionEnvelopeSchema, { target: 'openapi-3.0', io: 'input' }),
    batchItem: z.toJSONSchema(batchItemEnvelopeSchema, { target: 'openapi-3.0', io: 'input' }),
    dataByType: dataSchemas,
  };
}
