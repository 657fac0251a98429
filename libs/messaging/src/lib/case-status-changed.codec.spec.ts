import { CloudEvent } from 'cloudevents';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { aCaseStatusChange } from '../testing';
import { decodeCaseStatusChanged, encodeCaseStatusChanged, InvalidCaseStatusChangedMessage } from './case-status-changed.codec';

/** What a kafkajs consumer hands over: header values as Buffers. */
function asConsumed(record: ReturnType<typeof encodeCaseStatusChanged>) {
  return {
    key: Buffer.from(record.key),
    value: record.value,
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('case.status-changed.v1 codec (CloudEvents, Kafka binary mode)', () => {
  it('puts the attributes in ce_* headers, the payload as JSON value, the stream id as key', () => {
    const change = aCaseStatusChange();
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

  it('decodes what it encoded into a valid CloudEvent', () => {
    const change = aCaseStatusChange();
    const decoded = decodeCaseStatusChanged(asConsumed(encodeCaseStatusChanged(change)));
    expect(decoded.event).toBeInstanceOf(CloudEvent);
    expect(decoded.event.validate()).toBe(true);
    expect(decoded.event.id).toBe(change.attributes.id);
    expect(decoded.data).toEqual(change.data);
    expect(decoded.key).toBe(change.key);
  });

  it.each([
    ['no ce_id header', (h: Record<string, Buffer>) => delete h['ce_id'], /No CloudEvent detected/],
    ['another event type', (h: Record<string, Buffer>) => (h['ce_type'] = Buffer.from('other.type')), /ce_type is "other.type"/],
    ['no ce_source', (h: Record<string, Buffer>) => delete h['ce_source'], /invalid/i],
  ])('refuses a record with %s, saying why', (_label, mutate, reason) => {
    const consumed = asConsumed(encodeCaseStatusChanged(aCaseStatusChange()));
    mutate(consumed.headers);
    expect(() => decodeCaseStatusChanged(consumed)).toThrow(InvalidCaseStatusChangedMessage);
    expect(() => decodeCaseStatusChanged(consumed)).toThrow(reason);
  });

  it('refuses a payload that breaks the contract, naming the field', () => {
    const consumed = asConsumed(encodeCaseStatusChanged(aCaseStatusChange()));
    consumed.value = Buffer.from(JSON.stringify({ ...JSON.parse(consumed.value.toString()), statusCode: 'MAYBE' }));
    expect(() => decodeCaseStatusChanged(consumed)).toThrow(/payload: statusCode/);
  });

  it('refuses a value that is not JSON, and a record without key or value', () => {
    const consumed = asConsumed(encodeCaseStatusChanged(aCaseStatusChange()));
    expect(() => decodeCaseStatusChanged({ ...consumed, value: Buffer.from('{not json') })).toThrow(/not JSON/);
    expect(() => decodeCaseStatusChanged({ ...consumed, key: null })).toThrow('the record has no key');
    expect(() => decodeCaseStatusChanged({ ...consumed, value: null })).toThrow('the record has no value');
  });

  it('refuses to encode a change without id or with a payload that breaks the contract', () => {
    const change = aCaseStatusChange();
    expect(() => encodeCaseStatusChanged({ ...change, attributes: { ...change.attributes, id: '' } })).toThrow('attributes.id is missing');
    expect(() => encodeCaseStatusChanged({ ...change, data: { ...change.data, position: '12' } })).toThrow(/data does not match the contract: position/);
  });
});
