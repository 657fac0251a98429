/**
 * Answers of the intake API (contract version 1). Revisions and positions are strings:
 * they are 64-bit and JSON numbers are not.
 */
export interface RecordedAnswer {
  eventId: string;
  receiptNumber: string;
  streamId: string;
  /** 0-based revision of the event in its case's stream, as a decimal string. */
  streamRevision: string;
  /** Global position `<commit>:<prepare>`. */
  position: string;
}

/** RFC 9457 problem details, with our `code` and the offending fields. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { field: string; reason: string }[];
  /** With 429: seconds until the agency (or client) may send again; also the Retry-After header. */
  retryAfterSeconds?: number;
}

export type BatchItemAnswer =
  | ({ index: number; status: 201 } & RecordedAnswer)
  | { index: number; status: number; eventId?: string; receiptNumber?: string; problem: Problem };

export interface BatchAnswer {
  recorded: number;
  refused: number;
  results: BatchItemAnswer[];
}

/**
 * The stream of an agency's refused submissions in the event store (`intake-refusals-<AGENCY>`):
 * intake writes it; its agency's staff read it. Outside the `case-` prefix, so case subscribers
 * never see it.
 */
export function refusalStreamId(agencyCode: string): string {
  return `intake-refusals-${agencyCode}`;
}

/** A refused submission as kept: its event's data, with the event's id and `refusedAt` metadata. */
export interface RefusalRecord {
  refusalId: string;
  refusedAt: string;
  eventId?: string;
  receiptNumber?: string;
  submittedType?: string;
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; reason: string }[];
  /** The item as it was submitted (cut to 8 KiB of JSON). */
  submitted: unknown;
}
