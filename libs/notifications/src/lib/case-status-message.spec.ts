import { statusChanged, statusChangedKafkaMessage } from '../testing/fixtures';
import { InvalidStatusChangeMessage, parseStatusChange } from './case-status-message';

const asKafka = (message: ReturnType<typeof statusChangedKafkaMessage>) => ({
  key: Buffer.from(message.key),
  value: Buffer.from(message.value),
  headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
});

describe('parseStatusChange', () => {
  it('reads a binary-mode CloudEvent produced with the cloudevents Kafka binding', () => {
    const data = statusChanged();
    const change = parseStatusChange(asKafka(statusChangedKafkaMessage(data, 'evt-1')));
    expect(change).toEqual({ eventId: 'evt-1', streamId: 'case-USCIS-IOE0912345678', source: '/agencies/USCIS', time: data.occurredAt, data });
  });

  it.each([
    ['ce_id', 'header ce_id is missing'],
    ['ce_type', 'header ce_type is missing'],
    ['ce_specversion', 'header ce_specversion is missing'],
  ])('refuses a message without %s', (header, message) => {
    const raw = asKafka(statusChangedKafkaMessage(statusChanged()));
    delete raw.headers[header];
    expect(() => parseStatusChange(raw)).toThrow(message);
  });

  it('refuses another event type', () => {
    const raw = asKafka(statusChangedKafkaMessage(statusChanged()));
    raw.headers['ce_type'] = Buffer.from('gov.case-status.case.other.v1');
    expect(() => parseStatusChange(raw)).toThrow('ce_type is "gov.case-status.case.other.v1"');
  });

  it('refuses a value that is not JSON, or not the contract, naming the field', () => {
    const raw = asKafka(statusChangedKafkaMessage(statusChanged()));
    expect(() => parseStatusChange({ ...raw, value: Buffer.from('{oops') })).toThrow(InvalidStatusChangeMessage);
    const wrong = JSON.stringify({ ...statusChanged(), statusText: { en: 'x' } });
    expect(() => parseStatusChange({ ...raw, value: Buffer.from(wrong) })).toThrow('statusText.es');
    const badRevision = JSON.stringify(statusChanged({ streamRevision: '-1' }));
    expect(() => parseStatusChange({ ...raw, value: Buffer.from(badRevision) })).toThrow('streamRevision');
  });

  it('refuses a message without key or value', () => {
    const raw = asKafka(statusChangedKafkaMessage(statusChanged()));
    expect(() => parseStatusChange({ ...raw, key: null })).toThrow('no key');
    expect(() => parseStatusChange({ ...raw, value: null })).toThrow('no value');
  });
});
