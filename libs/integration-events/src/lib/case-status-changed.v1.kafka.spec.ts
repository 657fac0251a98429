import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { CASE_STATUS_CHANGED_V1, type CaseStatusChangedV1 } from './case-status-changed.v1';
import { changeOf, statusChanged } from '../testing';
import { decodeCaseStatusChanged, encodeCaseStatusChanged, InvalidCaseStatusChangedMessage, type OutgoingKafkaRecord } from './case-status-changed.v1.kafka';

const aChange = (data: Partial<CaseStatusChangedV1> = {}) => changeOf(statusChanged(data), 'evt-1');

/** What a kafkajs consumer hands over: header values as Buffers. */
function asConsumed(record: OutgoingKafkaRecord) {
  return {
    key: Buffer.from(record.key) as Buffer | null,
    value: record.value as Buffer | null,
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('encoding a case.status-changed.v1 (CloudEvents, Kafka binary mode)', () => {
  it('puts the attributes in ce_* headers, the payload as JSON value, the stream id as key', () => {
    const change = aChange();
    const record = encodeCaseStatusChanged(change);
    expect(record.key).toBe(change.key);
    expect(JSON.parse(record.value.toString())).toEqual(change.data);
    expect(record.headers).toEqual({
      'content-type': 'application/json',
      ce_id: change.attributes.id,
      ce_type: CASE_STATUS_CHANGED_V1.type,
      ce_source: '/agencies/USCIS',
      ce_specversion: '1.0',
      ce_subject: change.data.receiptNumber,
      ce_time: change.attributes.time,
      ce_datacontenttype: 'application/json',
      ce_dataschema: CASE_STATUS_CHANGED_V1.dataschema,
      ce_partitionkey: change.key,
    });
  });

  it('writes what the cloudevents SDK reads back as a valid CloudEvent', () => {
    const record = encodeCaseStatusChanged(aChange());
    const message: KafkaMessage<Buffer> = { key: record.key, value: record.value, body: record.value, headers: record.headers };
    const event = Kafka.toEvent(message) as CloudEvent<CaseStatusChangedV1>;
    expect(event).toBeInstanceOf(CloudEvent);
    expect(event.validate()).toBe(true);
    expect(event.id).toBe('evt-1');
  });

  it('refuses to encode a change without id, with a payload that breaks the contract, or keyed to another case', () => {
    const change = aChange();
    expect(() => encodeCaseStatusChanged({ ...change, attributes: { ...change.attributes, id: '' } })).toThrow('attributes.id is missing');
    expect(() => encodeCaseStatusChanged({ ...change, data: { ...change.data, position: '12' } })).toThrow(/data does not match the contract: position/);
    expect(() => encodeCaseStatusChanged({ ...change, key: 'case-USCIS-IOE0000000000' })).toThrow(/is not the stream of receipt number IOE0912345678/);
  });
});

describe('decoding a case.status-changed.v1', () => {
  it('reads back what was encoded', () => {
    const change = aChange();
    expect(decodeCaseStatusChanged(asConsumed(encodeCaseStatusChanged(change)))).toEqual({
      eventId: 'evt-1',
      streamId: 'case-USCIS-IOE0912345678',
      source: '/agencies/USCIS',
      time: change.data.occurredAt,
      data: change.data,
    });
  });

  it('reads header values given as text or repeated, taking the first', () => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    const headers = { ...record.headers, ce_id: [Buffer.from('evt-first'), Buffer.from('evt-second')], ce_source: '/agencies/USCIS' };
    expect(decodeCaseStatusChanged({ ...record, headers })).toMatchObject({ eventId: 'evt-first', source: '/agencies/USCIS' });
  });

  it.each([
    ['ce_id', 'header ce_id is missing'],
    ['ce_type', 'header ce_type is missing'],
    ['ce_specversion', 'header ce_specversion is missing'],
    ['ce_source', 'header ce_source is missing'],
    ['ce_time', 'header ce_time is missing'],
  ])('refuses a record without %s', (header, message) => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    delete record.headers[header];
    expect(() => decodeCaseStatusChanged(record)).toThrow(InvalidCaseStatusChangedMessage);
    expect(() => decodeCaseStatusChanged(record)).toThrow(message);
  });

  it('refuses another event type or CloudEvents version', () => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    expect(() => decodeCaseStatusChanged({ ...record, headers: { ...record.headers, ce_type: Buffer.from('gov.case-status.case.other.v1') } })).toThrow(
      'ce_type is "gov.case-status.case.other.v1"',
    );
    expect(() => decodeCaseStatusChanged({ ...record, headers: { ...record.headers, ce_specversion: Buffer.from('0.3') } })).toThrow('ce_specversion is "0.3", expected "1.0"');
  });

  it('refuses a value that is not JSON, or not the contract, naming the field', () => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    expect(() => decodeCaseStatusChanged({ ...record, value: Buffer.from('{oops') })).toThrow(/^the value is not JSON/);
    const wrong = JSON.stringify({ ...aChange().data, statusText: { en: 'x' } });
    expect(() => decodeCaseStatusChanged({ ...record, value: Buffer.from(wrong) })).toThrow('statusText.es');
    const badRevision = JSON.stringify(aChange({ streamRevision: '-1' }).data);
    expect(() => decodeCaseStatusChanged({ ...record, value: Buffer.from(badRevision) })).toThrow('streamRevision');
    const badStatus = JSON.stringify(aChange({ statusCode: 'MAYBE' as CaseStatusChangedV1['statusCode'] }).data);
    expect(() => decodeCaseStatusChanged({ ...record, value: Buffer.from(badStatus) })).toThrow('statusCode');
  });

  it('lets fields of a later minor version through', () => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    const later = JSON.stringify({ ...aChange().data, officeName: 'National Benefits Center' });
    expect(decodeCaseStatusChanged({ ...record, value: Buffer.from(later) }).data).toMatchObject({ officeName: 'National Benefits Center' });
  });

  it('refuses a record without key or value', () => {
    const record = asConsumed(encodeCaseStatusChanged(aChange()));
    expect(() => decodeCaseStatusChanged({ ...record, key: null })).toThrow('the message has no key (the case stream id)');
    expect(() => decodeCaseStatusChanged({ ...record, value: null })).toThrow('the message has no value');
    expect(() => decodeCaseStatusChanged({ ...record, key: Buffer.alloc(0) })).toThrow('no key');
  });
});
