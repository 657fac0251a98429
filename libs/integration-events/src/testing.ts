import { randomUUID } from 'node:crypto';
import { CASE_STATUS_CHANGED_V1, type CaseStatusChangedV1 } from './lib/case-status-changed.v1';
import type { CaseStatusChange } from './lib/case-status-changed.v1.kafka';

/** A valid case.status-changed.v1 payload; override what a test is about. */
export function statusChanged(overrides: Partial<CaseStatusChangedV1> = {}): CaseStatusChangedV1 {
  return {
    agency: 'USCIS',
    receiptNumber: 'IOE0912345678',
    formType: 'I-485',
    office: 'NBC',
    eventType: 'DecisionIssued',
    statusCode: 'CASE_APPROVED',
    step: 'decided',
    statusText: { en: 'We approved your case.', es: 'Aprobamos su caso.' },
    nextStep: { en: 'We will mail your card.', es: 'Le enviaremos su tarjeta por correo.' },
    occurredAt: '2026-03-02T15:00:00.000Z',
    recordedAt: '2026-03-02T15:00:01.000Z',
    streamRevision: '3',
    position: '10:10',
    ...overrides,
  };
}

/** The change the relay would publish for a payload: attributes from the payload, keyed by its case's stream. */
export function changeOf(data: CaseStatusChangedV1, id: string = randomUUID()): CaseStatusChange {
  return {
    attributes: {
      specversion: '1.0',
      id,
      type: CASE_STATUS_CHANGED_V1.type,
      source: `/agencies/${data.agency}`,
      subject: data.receiptNumber,
      time: data.occurredAt,
      datacontenttype: 'application/json',
    },
    key: `case-${data.agency}-${data.receiptNumber}`,
    data,
  };
}
