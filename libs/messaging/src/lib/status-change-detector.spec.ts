import { randomUUID } from 'node:crypto';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import type { RecordedEvent } from '@case-status/event-contract';
import { StatusChangeDetector } from './status-change-detector';
import { aCaseHistory, aReceiptNumber, storedCaseEvent } from './test-events';

/** An in-memory store of recorded events, enough for the detector's stream reads. */
function recordedStream(receiptNumber: string, occurredAt = '2025-03-01T10:00:00.000Z'): RecordedEvent[] {
  return aCaseHistory(receiptNumber).map((body, index) => ({
    ...storedCaseEvent(body, occurredAt),
    streamId: `case-USCIS-${receiptNumber}`,
    revision: BigInt(index),
    position: { commit: 100n + BigInt(index), prepare: BigInt(index) },
    recordedAt: new Date('2025-03-02T00:00:00.000Z'),
  }));
}

function readerOf(events: RecordedEvent[]) {
  const reads: string[] = [];
  return {
    reads,
    readStream: async (streamId: string, options: { fromRevision?: bigint; maxCount?: number } = {}) => {
      reads.push(streamId);
      const from = options.fromRevision ?? 0n;
      return events.filter((e) => e.streamId === streamId && e.revision >= from).slice(0, options.maxCount ?? Infinity);
    },
  };
}

describe('StatusChangeDetector', () => {
  it('emits a change for each event that changes the public status, and none for one that does not', async () => {
    const events = recordedStream(aReceiptNumber());
    const detector = new StatusChangeDetector(readerOf(events));
    const changes = [];
    for (const event of events) changes.push(await detector.changeFor(event));
    expect(changes.map((c) => c?.data.statusCode)).toEqual([
      'CASE_RECEIVED',
      'CASE_IN_REVIEW',
      'EVIDENCE_REQUESTED',
      undefined, // review started again while evidence is open: nothing the public sees changes
      'EVIDENCE_RECEIVED',
      'CASE_APPROVED',
    ]);
  });

  it('emits nothing for an access code issued, even right after a status that depends on the latest event', async () => {
    const [received, ...rest] = recordedStream(aReceiptNumber());
    const missedAt = { ...rest[0], type: 'AppointmentMissed', data: { appointmentId: 'a1' } };
    const scheduled = { ...rest[0], type: 'AppointmentScheduled', data: { appointmentId: 'a1', kind: 'biometrics', scheduledFor: '2025-03-20T10:00:00Z', office: 'NBC' } };
    const issued = { ...rest[0], id: randomUUID(), type: 'AccessCodeIssued', data: { accessCodeHash: `scrypt$16384$8$1$${'s'.repeat(22)}$${'h'.repeat(43)}` } };
    const events = [received, scheduled, { ...missedAt, id: randomUUID() }, issued].map((event, index) => ({ ...event, revision: BigInt(index), position: { commit: 100n + BigInt(index), prepare: 0n } }));
    const detector = new StatusChangeDetector(readerOf(events));
    const changes = [];
    for (const event of events) changes.push(await detector.changeFor(event));
    expect(changes.map((c) => c?.data.statusCode)).toEqual(['CASE_RECEIVED', 'APPOINTMENT_SCHEDULED', 'APPOINTMENT_MISSED', undefined]);
    // Rebuilt from the stream, the case before the code is the same.
    expect(await new StatusChangeDetector(readerOf(events)).changeFor(events[3])).toBeUndefined();
  });

  it('builds the contract: attributes, key = stream id, payload from the folded case', async () => {
    const receiptNumber = aReceiptNumber();
    const [received] = recordedStream(receiptNumber, '2025-03-01T05:00:00-05:00');
    const change = await new StatusChangeDetector(readerOf([received])).changeFor(received);
    expect(change).toEqual({
      key: `case-USCIS-${receiptNumber}`,
      attributes: {
        specversion: '1.0',
        type: CASE_STATUS_CHANGED_V1.type,
        source: '/agencies/USCIS',
        id: received.id,
        subject: receiptNumber,
        time: '2025-03-01T10:00:00.000Z',
        datacontenttype: 'application/json',
      },
      data: expect.objectContaining({
        agency: 'USCIS',
        receiptNumber,
        formType: 'I-130',
        office: 'NBC',
        eventType: 'CaseReceived',
        statusCode: 'CASE_RECEIVED',
        step: 'received',
        occurredAt: '2025-03-01T10:00:00.000Z',
        recordedAt: '2025-03-02T00:00:00.000Z',
        streamRevision: '0',
        position: '100:0',
      }),
    });
    expect(change?.data.statusText.en.length).toBeGreaterThan(0);
    expect(change?.data.statusText.es.length).toBeGreaterThan(0);
  });

  it('rebuilds a case it has not seen (or has forgotten) from its stream, with the same answer', async () => {
    const first = recordedStream(aReceiptNumber());
    const second = recordedStream(aReceiptNumber());
    const reader = readerOf([...first, ...second]);
    const detector = new StatusChangeDetector(reader, { maxCachedCases: 1 });
    // Starting in the middle (e.g. after a checkpoint): revision 3 is the no-op review start.
    expect(await detector.changeFor(first[3])).toBeUndefined();
    expect(reader.reads).toEqual([first[3].streamId]);
    await detector.changeFor(second[0]); // evicts the first case
    expect(detector.cachedCases).toBe(1);
    expect((await detector.changeFor(first[4]))?.data.statusCode).toBe('EVIDENCE_RECEIVED');
    expect(reader.reads).toEqual([first[3].streamId, first[4].streamId]);
  });

  it('falls back to the recording time when the stored event has no usable business time', async () => {
    const [received] = recordedStream(aReceiptNumber());
    const broken = { ...received, metadata: { occurredAt: 'yesterday-ish' } };
    const change = await new StatusChangeDetector(readerOf([broken])).changeFor(broken);
    expect(change?.attributes.time).toBe('2025-03-02T00:00:00.000Z');
  });

  it('fails, naming the stream, when events before the revision are missing', async () => {
    const events = recordedStream(aReceiptNumber());
    const detector = new StatusChangeDetector(readerOf([events[0]]));
    await expect(detector.changeFor(events[2])).rejects.toThrow(`stream ${events[0].streamId}: expected 2 events before revision 2, read 1`);
  });

  it('refuses a cache size that is not a positive integer', () => {
    expect(() => new StatusChangeDetector(readerOf([]), { maxCachedCases: 0 })).toThrow('maxCachedCases must be a positive integer, got 0');
  });

  it('refuses an event of a stream that is not a case stream', async () => {
    const event: RecordedEvent = {
      ...recordedStream(aReceiptNumber())[0],
      id: randomUUID(),
      streamId: 'case-nodash',
      data: { agency: '', receiptNumber: '', formType: 'I-130', office: 'NBC' },
    };
    await expect(new StatusChangeDetector(readerOf([event])).changeFor(event)).rejects.toThrow('stream case-nodash is not a case stream');
  });
});
