import { CloudEvent, Kafka, ValidationError, type KafkaMessage } from 'cloudevents';
import type { IHeaders } from 'kafkajs';
import { z } from 'zod';
import { CASE_STATUS_CHANGED_V1, caseStatusChangedV1Schema, type CaseStatusChangedV1 } from '@case-status/integration-events';
import type { CaseStatusChange } from './case-status-publisher.port';

/**
 * `case.status-changed.v1` on the wire: CloudEvents 1.0 in Kafka binary content mode. The
 * attributes travel as `ce_*` headers (plus `content-type`), the value is the JSON payload,
 * the key is the case's stream id (also sent as the `ce_partitionkey` extension, which the
 * CloudEvents Kafka binding maps to the key).
 */

/** A record as kafkajs sends it. */
export interface OutgoingKafkaRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record as kafkajs delivers it to a consumer (`EachMessagePayload['message']`). */
export interface IncomingKafkaRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/** The payload schema lives with the contract; re-exported for the lib's users. */
export { caseStatusChangedV1Schema };

/** Thrown by `decodeCaseStatusChanged` for a record that is not a valid `case.status-changed.v1`. */
export class InvalidCaseStatusChangedMessage extends Error {
  readonly code = 'INVALID_CASE_STATUS_CHANGED_MESSAGE';
  constructor(reason: string) {
    super(`not a valid ${CASE_STATUS_CHANGED_V1.topic} message: ${reason}`);
    this.name = 'InvalidCaseStatusChangedMessage';
  }
}

/** Checks a change before it is published; throws a TypeError naming what is wrong. */
export function assertPublishable(change: CaseStatusChange): void {
  const { attributes, key, data } = change;
  const where = `case status change ${attributes?.id ?? '(no id)'}`;
  if (!attributes?.id) throw new TypeError(`${where}: attributes.id is missing`);
  if (attributes.type !== CASE_STATUS_CHANGED_V1.type) throw new TypeError(`${where}: attributes.type must be "${CASE_STATUS_CHANGED_V1.type}", got "${attributes.type}"`);
  if (!key) throw new TypeError(`${where}: key (the case's stream id) is missing`);
  const parsed = caseStatusChangedV1Schema.safeParse(data);
  if (!parsed.success) throw new TypeError(`${where}: data does not match the contract: ${describeIssues(parsed.error)}`);
  if (!key.endsWith(`-${data.receiptNumber}`)) throw new TypeError(`${where}: key "${key}" is not the stream of receipt number ${data.receiptNumber}`);
}

/** The Kafka record of a change, in CloudEvents binary mode. */
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

export interface DecodedCaseStatusChanged {
  /** The CloudEvent, validated against the CloudEvents 1.0 spec. */
  event: CloudEvent<CaseStatusChangedV1>;
  data: CaseStatusChangedV1;
  /** The record key: the case's stream id. */
  key: string;
}

/**
 * Reads a consumed record back into a validated CloudEvent and payload; throws
 * `InvalidCaseStatusChangedMessage` saying why a record is not one (the notifier sends those
 * to the dead-letter topic).
 */
export function decodeCaseStatusChanged(record: IncomingKafkaRecord): DecodedCaseStatusChanged {
  if (!record.value) throw new InvalidCaseStatusChangedMessage('the record has no value');
  if (!record.key) throw new InvalidCaseStatusChangedMessage('the record has no key');
  const headers = headersAsStrings(record.headers ?? {});
  let event: CloudEvent<CaseStatusChangedV1>;
  try {
    const message: KafkaMessage<Buffer> = { key: record.key.toString(), value: record.value, headers, body: record.value };
    const parsed = Kafka.toEvent(message);
    if (Array.isArray(parsed)) throw new InvalidCaseStatusChangedMessage('a batch of CloudEvents, expected one event in binary mode');
    event = parsed as CloudEvent<CaseStatusChangedV1>;
    event.validate();
  } catch (error) {
    if (error instanceof InvalidCaseStatusChangedMessage) throw error;
    throw new InvalidCaseStatusChangedMessage(cloudEventsReason(error));
  }
  if (event.type !== CASE_STATUS_CHANGED_V1.type) throw new InvalidCaseStatusChangedMessage(`ce_type is "${event.type}", expected "${CASE_STATUS_CHANGED_V1.type}"`);
  if (event.datacontenttype !== 'application/json') throw new InvalidCaseStatusChangedMessage(`content type is "${String(event.datacontenttype)}", expected "application/json"`);
  const data = caseStatusChangedV1Schema.safeParse(event.data);
  if (!data.success) throw new InvalidCaseStatusChangedMessage(`payload: ${describeIssues(data.error)}`);
  return { event, data: data.data as CaseStatusChangedV1, key: record.key.toString() };
}

/** kafkajs delivers header values as Buffers (or arrays of them when a name repeats: first one wins). */
export function headersAsStrings(headers: IHeaders): Record<string, string> {
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

function cloudEventsReason(error: unknown): string {
  if (error instanceof ValidationError) {
    const details = (error.errors ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
    return details.length > 0 ? `${error.message} (${details.join('; ')})` : error.message;
  }
  if (error instanceof SyntaxError) return `the value is not JSON (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}
