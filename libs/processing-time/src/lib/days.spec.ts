import { dayAndDate, dayFromIso, isoFromDay } from './days';
import { EstimationInputError } from './errors';

describe('days', () => {
  it('counts days from 1970-01-01 and back', () => {
    expect(dayFromIso('1970-01-01')).toBe(0);
    expect(dayFromIso('2026-03-01')).toBe(20513);
    expect(isoFromDay(20513)).toBe('2026-03-01');
    expect(dayFromIso('1969-12-31')).toBe(-1);
    expect(dayAndDate(dayFromIso('2024-02-29'))).toEqual({ day: 19782, date: '2024-02-29' });
  });

  it('reads the local calendar date of a timestamp, whatever its offset', () => {
    expect(dayFromIso('2026-03-01T23:30:00-05:00')).toBe(dayFromIso('2026-03-01'));
    expect(dayFromIso('2026-03-01T00:10:00+09:00')).toBe(dayFromIso('2026-03-01'));
  });

  it.each(['2026-02-30', '2026-13-01', '26-03-01', '2026-03-01x', ''])('refuses %j with the field named', (value) => {
    expect(() => dayFromIso(value, 'cases[2].receivedAt')).toThrow(EstimationInputError);
    expect(() => dayFromIso(value, 'cases[2].receivedAt')).toThrow(/^cases\[2\]\.receivedAt: /);
  });

  it('refuses a day that is not a whole number', () => {
    expect(() => isoFromDay(1.5)).toThrow('day: expected a whole day number');
  });
});
