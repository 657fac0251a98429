import { comparePositions, formatPosition, parsePosition, START, toCaseEvent, type GlobalPosition } from './stored-event';

const beyondDoubles: GlobalPosition = { commit: 9007199254740993n, prepare: 18446744073709551615n };

describe('global positions', () => {
  describe('formatPosition / parsePosition', () => {
    it('round-trips positions beyond 2^53 exactly', () => {
      const text = formatPosition(beyondDoubles);

      expect(text).toBe('9007199254740993:18446744073709551615');
      expect(parsePosition(text)).toEqual(beyondDoubles);
    });

    it('formats START as 0:0 and parses it back', () => {
      expect(parsePosition(formatPosition(START))).toEqual(START);
    });

    it.each(['', '12', '1:2:3', '-1:2', '1.5:2', ' 1:2', '1:2 ', 'a:b', '123456789012345678901:1'])('refuses "%s"', (text) => {
      expect(() => parsePosition(text)).toThrow(TypeError);
    });
  });

  describe('comparePositions', () => {
    it('orders by commit first, then by prepare', () => {
      expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 1n })).toBe(-1);
      expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 1n, prepare: 9n })).toBe(1);
      expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 3n })).toBe(-1);
      expect(comparePositions({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 3n })).toBe(0);
    });

    it('tells apart positions that are equal as doubles', () => {
      const a = { commit: 5n, prepare: 9007199254740992n };
      const b = { commit: 5n, prepare: 9007199254740993n };

      expect(Number(a.prepare)).toBe(Number(b.prepare));
      expect(comparePositions(a, b)).toBe(-1);
    });

    it('puts START before every other position', () => {
      expect(comparePositions(START, { commit: 0n, prepare: 1n })).toBe(-1);
      expect(comparePositions(START, START)).toBe(0);
    });
  });
});

describe('toCaseEvent', () => {
  it('takes the business time from the metadata, not the recording time', () => {
    const event = toCaseEvent({ type: 'CaseReviewStarted', data: {}, metadata: { occurredAt: '2026-01-20T09:00:00Z', submittedBy: 'x' } });
    expect(event).toEqual({ type: 'CaseReviewStarted', data: {}, occurredAt: '2026-01-20T09:00:00Z' });
  });
});
