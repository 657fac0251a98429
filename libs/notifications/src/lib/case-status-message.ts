import { CASE_STATUS_CHANGED_V1, caseStatusChangedV1Schema, type CaseStatusChangedV1 } from '@case-status/integration-events';

/** One `case.status-changed.v1` message as the notifier uses it. */
export interface StatusChange {
  /** CloudEvents id: the dedupe key. */
  eventId: string;
  /** Kafka key: the case stream id. */
  streamId: string;
  source: string;
  time: string;
  data: CaseStatusChangedV1;
}

/** What kafkajs hands over (headers may be Buffers, strings or arrays of them). */
export interface RawKafkaMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

export class InvalidStatusChangeMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStatusChangeMessage';
  }
}

/**
 * Reads a CloudEvents binary-mode Kafka message (`ce_*` headers, JSON value). Throws
 * InvalidStatusChangeMessage naming what is wrong; such a message can never be delivered and
 * goes to the dead-letter topic instead of blocking its partition.
 */
export function parseStatusChange(message: RawKafkaMessage): StatusChange {
  const header = (name: string): string | undefined => {
    const value = message.headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const required = (name: string): string => {
    const value = header(name);
    if (!value) throw new InvalidStatusChangeMessage(`header ${name} is missing`);
    return value;
  };
  const specversion = required('ce_specversion');
  if (specversion !== '1.0') throw new InvalidStatusChangeMessage(`ce_specversion is "${specversion}", expected "1.0"`);
  const type = required('ce_type');
  if (type !== CASE_STATUS_CHANGED_V1.type) throw new InvalidStatusChangeMessage(`ce_type is "${type}", expected "${CASE_STATUS_CHANGED_V1.type}"`);
  const eventId = required('ce_id');
  const source = required('ce_source');
  const time = required('ce_time');
  if (message.key === null || message.key.length === 0) throw new InvalidStatusChangeMessage('the message has no key (the case stream id)');
  if (message.value === null || message.value.length === 0) throw new InvalidStatusChangeMessage('the message has no value');
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString());
  } catch (error) {
    throw new InvalidStatusChangeMessage(`the value is not JSON: ${(error as Error).message}`);
  }
  const parsed = caseStatusChangedV1Schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidStatusChangeMessage(`the value does not match case.status-changed.v1: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { eventId, streamId: message.key.toString(), source, time, data: parsed.data };
}
