import { isIsoDate, isIsoDateTime, toEpochMillis } from './time';

describe('isIsoDateTime', () => {
  it.each(['2026-03-01T14:00:00Z', '2026-03-01T09:00:00-05:00', '2026-03-01T14:00:00.123456+00:00', '2024-02-29T00:00:00Z'])('accepts %s', (value) => {
    expect(isIsoDateTime(value)).toBe(true);
  });

  it.each(['2026-03-01', '2026-03-01T14:00:00', '2026-03-01 14:00:00Z', '2026-03-01T14:00Z', '2025-02-29T00:00:00Z', '2026-03-01T14:60:00Z', '2026-03-01T14:00:00+25:00', 20260301])(
    'refuses %s',
    (value) => {
      expect(isIsoDateTime(value)).toBe(false);
    },
  );
});

describe('isIsoDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
  ])('%s is a calendar date: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});

describe('toEpochMillis', () => {
  it('reads the offset, so the same instant in two offsets compares equal', () => {
    expect(toEpochMillis('2026-02-10T13:00:00-05:00')).toBe(toEpochMillis('2026-02-10T18:00:00Z'));
    expect(toEpochMillis('2026-02-10T18:00:00.5Z')).toBe(Date.UTC(2026, 1, 10, 18, 0, 0, 500));
  });
});
