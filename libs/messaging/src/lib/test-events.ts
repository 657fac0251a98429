import { randomUUID } from 'node:crypto';
import type { CaseEventBody } from '@case-status/case-domain';

/** Test data: stored-event shapes of domain events (the intake stores them like this). */
let counter = 0;

export function aReceiptNumber(): string {
  counter += 1;
  return `IOE${String((Date.now() * 1000 + counter) % 1e10).padStart(10, '0')}`;
}

export function storedCaseEvent(body: CaseEventBody, occurredAt = '2025-03-01T10:00:00.000Z') {
  return { id: randomUUID(), type: body.type, data: body.data as { [key: string]: unknown }, metadata: { occurredAt } };
}

/** A case's life: received, review, evidence requested (+ a review start that changes nothing), received, decided. */
export function aCaseHistory(receiptNumber: string): CaseEventBody[] {
  return [
    { type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType: 'I-130', office: 'NBC' } },
    { type: 'CaseReviewStarted', data: {} },
    { type: 'EvidenceRequested', data: { requestId: 'r1', dueDate: '2025-06-01', description: 'birth certificate' } },
    { type: 'CaseReviewStarted', data: {} },
    { type: 'EvidenceReceived', data: { requestId: 'r1' } },
    { type: 'DecisionIssued', data: { outcome: 'approved' } },
  ];
}
