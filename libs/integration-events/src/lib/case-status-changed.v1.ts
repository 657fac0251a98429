import type { Bilingual, PublicStatusCode, PublicStep } from '@case-status/case-domain';

/**
 * `case.status-changed.v1`: the published integration event that tells subscribers a case's
 * public status changed. A contract of its own, separate from the stored domain events: it
 * only grows by optional fields; anything else is a new version (`.v2`) on a new topic.
 */
export const CASE_STATUS_CHANGED_V1 = {
  /** Kafka topic. */
  topic: 'case.status-changed.v1',
  /** CloudEvents `type`. */
  type: 'gov.case-status.case.status-changed.v1',
  /** CloudEvents `dataschema`: the AsyncAPI document's message. */
  dataschema: 'https://case-status.example/asyncapi#/components/messages/CaseStatusChangedV1',
} as const;

/** CloudEvents attributes, carried as `ce_*` Kafka headers (binary content mode). */
export interface CaseStatusChangedV1Attributes {
  specversion: '1.0';
  type: typeof CASE_STATUS_CHANGED_V1.type;
  /** `/agencies/<AGENCY>` */
  source: string;
  /** The stored event's id (the agency's event id): the dedupe key downstream. */
  id: string;
  /** The receipt number. */
  subject: string;
  /** Business time of the event (ISO 8601). */
  time: string;
  datacontenttype: 'application/json';
}

/** The message value (JSON). No personal data. */
export interface CaseStatusChangedV1 {
  agency: string;
  receiptNumber: string;
  formType: string;
  office: string;
  /** The lifecycle event that changed the status, e.g. `DecisionIssued`. */
  eventType: string;
  statusCode: PublicStatusCode;
  step: PublicStep;
  statusText: Bilingual;
  nextStep: Bilingual;
  /** Business time of the event. */
  occurredAt: string;
  /** When the platform recorded it. */
  recordedAt: string;
  /** The event's revision in the case stream (decimal string): order within a case. */
  streamRevision: string;
  /** Global position `<commit>:<prepare>`. */
  position: string;
}

/** Kafka message key: the case's stream id, so one case's updates stay in order on one partition. */
export const kafkaKeyFor = (streamId: string) => streamId;
