import { z } from 'zod';
import { PUBLIC_STATUS_CODES, PUBLIC_STEPS, type Bilingual, type PublicStatusCode, type PublicStep } from '@case-status/case-domain';

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
  /**
   * CloudEvents distributed-tracing extension: the W3C trace context of the span that
   * published the change (`ce_traceparent`, `ce_tracestate` headers), when the platform traces.
   * Optional: consumers must not depend on it.
   */
  traceparent?: string;
  tracestate?: string;
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

const bilingual = z.object({ en: z.string().min(1), es: z.string().min(1) }).strict();

/**
 * The message value's schema, as code (the AsyncAPI document's `CaseStatusChangedV1`
 * payload). Producers check what they send and consumers what they receive against this one
 * definition.
 */
export const caseStatusChangedV1Schema = z
  .object({
    agency: z.string().min(1),
    receiptNumber: z.string().min(1),
    formType: z.string(),
    office: z.string(),
    eventType: z.string().min(1),
    statusCode: z.enum(PUBLIC_STATUS_CODES),
    step: z.enum(PUBLIC_STEPS),
    statusText: bilingual,
    nextStep: bilingual,
    occurredAt: z.string().min(1),
    recordedAt: z.string().min(1),
    streamRevision: z.string().regex(/^\d+$/, 'a decimal revision'),
    position: z.string().regex(/^\d+:\d+$/, '"<commit>:<prepare>"'),
  })
  // Later minor versions only add optional fields; consumers must let them through.
  .passthrough();
