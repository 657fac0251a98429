import { randomUUID } from 'node:crypto';
import { parseBatchItem, parseSubmission, submissionJsonSchemas } from './submission.schema';

const valid = { eventId: randomUUID(), type: 'EvidenceRequested', occurredAt: '2026-02-01T10:00:00-05:00', data: { requestId: 'R1', dueDate: '2026-04-01', description: ' Birth certificate ' } };

describe('intake submission contract', () => {
  it('accepts a valid event, trimming text and lower-casing the event id', () => {
    const result = parseSubmission({ ...valid, eventId: valid.eventId.toUpperCase() });
    expect(result).toEqual({ ok: true, receiptNumber: undefined, submission: { ...valid, data: { ...valid.data, description: 'Birth certificate' }, expectedRevision: undefined } });
  });

  it('turns expectedRevision, as a number or a string, into a bigint', () => {
    const asNumber = parseSubmission({ ...valid, expectedRevision: 4 });
    const asString = parseSubmission({ ...valid, expectedRevision: '9007199254740993' });
    expect(asNumber.ok && asNumber.submission.expectedRevision).toBe(4n);
    expect(asString.ok && asString.submission.expectedRevision).toBe(9007199254740993n);
  });

  it('names every unknown field, in the envelope and in data, as a JSON pointer', () => {
    const result = parseSubmission({ ...valid, priority: 'high', data: { ...valid.data, 'odd/key': 1 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ field: '/priority', reason: 'is not a known field' }]);
    const inData = parseSubmission({ ...valid, data: { ...valid.data, 'odd/key': 1 } });
    expect(!inData.ok && inData.errors).toEqual([{ field: '/data/odd~1key', reason: 'is not a known field' }]);
  });

  it('checks data against the schema of its own type', () => {
    const result = parseSubmission({ ...valid, type: 'DecisionIssued', data: { outcome: 'maybe' } });
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['/data/outcome']);
  });

  describe('RepresentativeAppointed', () => {
    const appointed = { ...valid, type: 'RepresentativeAppointed', data: { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-03-02' } };
    const fields = (data: object) => {
      const result = parseSubmission({ ...appointed, data: { ...appointed.data, ...data } });
      return result.ok ? [] : result.errors.map((e) => e.field);
    };

    it('accepts a representative known by e-mail, or by issuer and subject', () => {
      expect(fields({})).toEqual([]);
      expect(fields({ identity: { issuer: 'https://login.gov.example', subject: 'f3c1' } })).toEqual([]);
    });

    it('names what is wrong with the identity, field by field', () => {
      expect(fields({ identity: {} })).toEqual(['/data/identity/issuer', '/data/identity/subject']);
      expect(fields({ identity: { issuer: 'https://login.gov.example' } })).toEqual(['/data/identity/subject']);
      expect(fields({ identity: { email: 'rita@example.org', subject: 'f3c1' } })).toEqual(['/data/identity/subject']);
      expect(fields({ identity: { email: 'not an address' } })).toEqual(['/data/identity/email']);
      expect(fields({ identity: { issuer: 'javascript:alert(1)', subject: 'x' } })).toEqual(['/data/identity/issuer']);
      expect(fields({ identity: { phone: '555' } })).toContain('/data/identity/phone');
    });

    it('refuses a kind outside the taxonomy and a date that is not one', () => {
      expect(fields({ kind: 'paralegal', effectiveFrom: '2026-02-30' })).toEqual(['/data/kind', '/data/effectiveFrom']);
    });
  });

  it('requires a receipt number on batch items only', () => {
    expect(parseSubmission(valid).ok).toBe(true);
    const item = parseBatchItem(valid);
    expect(!item.ok && item.errors.map((e) => e.field)).toEqual(['/receiptNumber']);
    expect(parseBatchItem({ ...valid, receiptNumber: 'IOE0912345678' })).toMatchObject({ ok: true, receiptNumber: 'IOE0912345678' });
  });

  it('publishes JSON schemas for the OpenAPI document, one per event type', () => {
    const schemas = submissionJsonSchemas();
    expect(Object.keys(schemas.dataByType)).toHaveLength(17);
    expect(schemas.submission).toMatchObject({ type: 'object', required: expect.arrayContaining(['eventId', 'type', 'occurredAt']) });
  });
});
