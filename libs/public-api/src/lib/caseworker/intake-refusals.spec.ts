import type { RecordedEvent } from '@case-status/event-store';
import { refusalReasons } from './intake-refusals';

let revision = 100;
const refused = (refusedAt: string, data: Record<string, unknown>): RecordedEvent =>
  ({ id: `id-${revision}`, streamId: 'intake-refusals-USCIS', revision: BigInt(revision--), type: 'SubmissionRefused', data, metadata: { refusedAt, submittedBy: 'feed' }, recordedAt: new Date(refusedAt) }) as unknown as RecordedEvent;

const unknownOffice = (at: string, receiptNumber: string) =>
  refused(at, { code: 'INVALID_VALUE', status: 422, detail: 'The submission is not valid.', receiptNumber, errors: [{ field: '/data/office', reason: '"XXX" is not a USCIS office' }] });

describe('refusalReasons', () => {
  const since = new Date('2026-11-01T00:00:00Z');
  const newestFirst = [
    unknownOffice('2026-11-03T10:00:00Z', 'IOE0900000003'),
    refused('2026-11-03T09:00:00Z', { code: 'CASE_NOT_FOUND', status: 404, detail: 'No case IOE0900000009 on file.', receiptNumber: 'IOE0900000009' }),
    unknownOffice('2026-11-02T10:00:00Z', 'IOE0900000002'),
    unknownOffice('2026-11-02T09:00:00Z', 'IOE0900000002'),
    refused('2026-11-02T08:00:00Z', { code: 'INVALID_VALUE', status: 422, detail: 'The submission is not valid.', errors: [{ field: '/occurredAt', reason: 'not a date' }] }),
    // Before the window: not counted.
    unknownOffice('2026-10-31T23:59:59Z', 'IOE0900000001'),
  ];

  it('groups by code and first field, most frequent first, with the latest example and distinct receipt numbers', () => {
    expect(refusalReasons(newestFirst, since)).toEqual({
      total: 5,
      reasons: [
        { code: 'INVALID_VALUE', field: '/data/office', count: 3, lastRefusedAt: '2026-11-03T10:00:00Z', example: '"XXX" is not a USCIS office', receiptNumbers: ['IOE0900000003', 'IOE0900000002'] },
        { code: 'CASE_NOT_FOUND', field: null, count: 1, lastRefusedAt: '2026-11-03T09:00:00Z', example: 'No case IOE0900000009 on file.', receiptNumbers: ['IOE0900000009'] },
        { code: 'INVALID_VALUE', field: '/occurredAt', count: 1, lastRefusedAt: '2026-11-02T08:00:00Z', example: 'not a date', receiptNumbers: [] },
      ],
    });
  });

  it('answers nothing for an empty window', () => {
    expect(refusalReasons(newestFirst, new Date('2026-12-01T00:00:00Z'))).toEqual({ total: 0, reasons: [] });
  });
});
