import { dayFromIso } from '@case-status/processing-time';
import { pausePhaseOf, regimeHistory, regimes } from './regimes';
import type { Prediction } from './replay';

describe('regimes', () => {
  const all = regimes();

  it('covers steady, growing and shrinking backlogs, a pause, and evidence loops with transfers', () => {
    expect(all.map((regime) => regime.name)).toEqual(['steady', 'growing', 'shrinking', 'pause', 'evidence-loops-transfers']);
    expect(all.find((regime) => regime.name === 'evidence-loops-transfers')?.simulation).toMatchObject({ evidenceLoopChance: 0.5, transferChance: 0.3 });
  });

  it('pauses decisions for ten weeks from 60 % into the period', () => {
    expect(all.find((regime) => regime.name === 'pause')?.simulation.decisionPauses).toEqual([{ from: '2025-03-15T00:00:00.000Z', to: '2025-05-24T00:00:00.000Z' }]);
  });

  it('is the steady history until the pause begins, then decides nothing for ten weeks', () => {
    const small = regimes({ casesPerDay: 3, start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z', agencies: ['USCIS'] });
    const steady = regimeHistory(small[0], 7);
    const paused = small.find((regime) => regime.name === 'pause');
    if (!paused?.simulation.decisionPauses) throw new Error('no pause regime');
    const from = dayFromIso(paused.simulation.decisionPauses[0].from);
    const to = dayFromIso(paused.simulation.decisionPauses[0].to);
    const pause = regimeHistory(paused, 7);
    // What was known on any day before the pause: receipts and decisions up to then.
    const knownBefore = (cases: typeof steady.cases) =>
      cases.filter((c) => c.receivedAt < from).map((c) => `${c.caseId} ${c.receivedAt} ${c.decidedAt !== null && c.decidedAt < from ? c.decidedAt : 'waiting'} ${JSON.stringify(c.cohorts.filter((spell) => spell.from < from))}`);
    expect(knownBefore(pause.cases)).toEqual(knownBefore(steady.cases));
    expect(knownBefore(steady.cases).length).toBeGreaterThan(500);
    expect(pause.cases.filter((c) => c.decidedAt !== null && c.decidedAt >= from && c.decidedAt < to)).toEqual([]);
    expect(steady.cases.filter((c) => c.decidedAt !== null && c.decidedAt >= from && c.decidedAt < to).length).toBeGreaterThan(50);
  });

  it('places predictions around the pause, those made before it by where their 80 % date fell', () => {
    const pause = all.find((regime) => regime.name === 'pause');
    if (!pause) throw new Error('no pause regime');
    const phaseOf = pausePhaseOf(pause);
    if (!phaseOf) throw new Error('no phases');
    const day = (iso: string) => dayFromIso(iso);
    const at = (asOf: string, eightyPercentBy: string | null) =>
      phaseOf({ asOf: day(asOf), eightyPercentBy: eightyPercentBy === null ? null : day(eightyPercentBy) } as Prediction);
    expect(at('2025-01-01', '2025-03-14')).toBe('1 before the pause, 80 % date before it');
    expect(at('2025-01-01', '2025-03-15')).toBe('2 before the pause, 80 % date after it began');
    expect(at('2025-01-01', null)).toBe('3 before the pause, no 80 % date');
    expect(at('2025-03-15', null)).toBe('4 during the pause');
    expect(at('2025-05-23', null)).toBe('4 during the pause');
    expect(at('2025-05-24', '2025-06-01')).toBe('5 after the pause');
    expect(pausePhaseOf(all[0])).toBeNull();
  });
});
