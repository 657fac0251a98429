import { CloudEvent, Kafka } from 'cloudevents';
import type { z } from 'zod';
import { CASE_STATUS_CHANGED_V1, caseStatusChangedV1Schema, type CaseStatusChangedV1, type CaseStatusChangedV1Attributes } from './case-status-changed.v1';

/**
 * `case.status-changed.v1` on the wire: CloudEvents 1.0 in Kafka binary content mode. The
 * attributes travel as `ce_*` headers (plus `content-type`), the value is the JSON payload,
 * the key is the case's stream id (also sent as the `ce_partitionkey` extension, which the
 * CloudEvents Kafka binding maps to the key). The relay encodes with this, the notifier and
 * every test decode with it, so what is published and what is read cannot drift apart.
 */

/** One change, ready to publish. */
export interface CaseStatusChange {
  /** CloudEvents attributes; `id` is the stored event's id, the dedupe key downstream. */
  attributes: CaseStatusChangedV1Attributes;
  /** Partition key: the case's stream id, so one case's changes keep their order. */
  key: string;
  data: CaseStatusChangedV1;
}

/** One change as a consumer reads it. */
export interface ReceivedCaseStatusChange {
  /** CloudEvents id: the dedupe key. */
  eventId: string;
  /** Kafka key: the case stream id. */
  streamId: string;
  source: string;
  time: string;
  data: CaseStatusChangedV1;
  /** The distributed-tracing extension as received (`ce_traceparent`, `ce_tracestate`), unchecked: a consumer validates it before continuing the trace. */
  trace?: { traceparent: string; tracestate?: string };
}

/** A record as kafkajs sends it. */
export interface OutgoingKafkaRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record as kafkajs delivers it (header values may be Buffers, strings or arrays of them), or as the in-process hand-off passes it on. */
export interface IncomingKafkaRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** Thrown by `decodeCaseStatusChanged` for a record that is not a valid `case.status-changed.v1`; such a record can never be delivered. */
export class InvalidCaseStatusChangedMessage extends Error {
  readonly code = 'INVALID_CASE_STATUS_CHANGED_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCaseStatusChangedMessage';
  }
}

/** Checks a change before it is published; throws a TypeError naming what is wrong. */
function assertPublishable(change: CaseStatusChange): void {
  const { attributes, key, data } = change;
  const where = `case status change ${attributes?.id ?? '(no id)'}`;
  if (!attributes?.id) throw new TypeError(`${where}: attributes.id is missing`);
  if (attributes.type !== CASE_STATUS_CHANGED_V1.type) throw new TypeError(`${where}: attributes.type must be "${CASE_STATUS_CHANGED_V1.type}", got "${attributes.type}"`);
  if (!key) throw new TypeError(`${where}: key (the case's stream id) is missing`);
  const parsed = caseStatusChangedV1Schema.safeParse(data);
  if (!parsed.success) throw new TypeError(`${where}: data does not match the contract: ${describeIssues(parsed.error)}`);
  if (!key.endsWith(`-${data.receiptNumber}`)) throw new TypeError(`${where}: key "${key}" is not the stream of receipt number ${data.receiptNumber}`);
}

/** The Kafka record of a change, in CloudEvents binary mode, by the `cloudevents` SDK's Kafka binding. */
export function encodeCaseStatusChanged(change: CaseStatusChange): OutgoingKafkaRecord {
  assertPublishable(change);
  const event = new CloudEvent<CaseStatusChangedV1>({
    ...change.attributes,
    dataschema: CASE_STATUS_CHANGED_V1.dataschema,
    partitionkey: change.key,
    data: change.data,
  });
  const message = Kafka.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  // No record timestamp from `time` (business time, possibly years back): time-based
  // retention would delete back-filled events at once. The producer stamps the send time.
  return { key: change.key, value: Buffer.from(JSON.stringify(change.data)), headers };
}

/**
 * Reads a consumed record; throws `InvalidCaseStatusChangedMessage` naming what is wrong (the
 * notifier dead-letters such a record instead of blocking its partition). Besides the payload
 * contract it requires the attributes the notifier relies on: `ce_specversion` 1.0, this
 * event's `ce_type`, and `ce_id`, `ce_source` and `ce_time`.
 */
export function decodeCaseStatusChanged(record: IncomingKafkaRecord): ReceivedCaseStatusChange {
  const header = (name: string): string | undefined => {
    const value = record.headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const required = (name: string): string => {
    const value = header(name);
    if (!value) throw new InvalidCaseStatusChangedMessage(`header ${name} is missing`);
    return value;
  };
  const specversion = required('ce_specversion');
  if (specversion !== '1.0') throw new InvalidCaseStatusChangedMessage(`ce_specversion is "${specversion}", expected "1.0"`);
  const type = required('ce_type');
  if (type !== CASE_STATUS_CHANGED_V1.type) throw new InvalidCaseStatusChangedMessage(`ce_type is "${type}", expected "${CASE_STATUS_CHANGED_V1.type}"`);
  const eventId = required('ce_id');
  const source = required('ce_source');
  const time = required('ce_time');
  if (record.key === null || record.key.length === 0) throw new InvalidCaseStatusChangedMessage('the message has no key (the case stream id)');
  if (record.value === null || record.value.length === 0) throw new InvalidCaseStatusChangedMessage('the message has no value');
  let json: unknown;
  try {
    json = JSON.parse(record.value.toString());
  } catch (error) {
    throw new InvalidCaseStatusChangedMessage(`the value is not JSON: ${(error as Error).message}`);
  }
  const parsed = caseStatusChangedV1Schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidCaseStatusChangedMessage(`the value does not match case.status-changed.v1: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const traceparent = header('ce_traceparent');
  const tracestate = header('ce_tracestate');
  const trace = traceparent ? { traceparent, ...(tracestate ? { tracestate } : {}) } : undefined;
  return { eventId, streamId: record.key.toString(), source, time, data: parsed.data as CaseStatusChangedV1, ...(trace ? { trace } : {}) };
}

/** Header values as text; a repeated name keeps its first value, as the decoder reads it. */
export function headersAsStrings(headers: NonNullable<IncomingKafkaRecord['headers']>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; ');
}
