import type { Logger } from '@case-status/logging';
import { startServedEstimateRecorder } from './served-estimates.record';

/** A record that notes each call, and fails a pass when told to. */
function fakeRecord() {
  const calls: string[] = [];
  let failNext = false;
  return {
    calls,
    failNextPass: () => (failNext = true),
    migrate: async () => void calls.push('migrate'),
    recordDay: async (at: Date) => {
      calls.push(`record ${at.toISOString().slice(0, 10)}`);
      if (failNext) {
        failNext = false;
        throw new Error('connection refused');
      }
      return 3;
    },
    score: async (at: Date) => void calls.push(`score ${at.toISOString().slice(0, 10)}`),
  };
}

function notingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (m) => lines.push(`log ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

describe('startServedEstimateRecorder', () => {
  it('migrates, then records the day and scores before it resolves', async () => {
    const record = fakeRecord();
    const logger = notingLogger();
    const recorder = await startServedEstimateRecorder(record, { clock: () => new Date('2027-02-25T06:00:00Z'), logger });
    expect(record.calls).toEqual(['migrate', 'record 2027-02-25', 'score 2027-02-25']);
    expect(logger.lines).toEqual(['log served estimates: recorded 3 for 2027-02-25 and scored the record']);
    await recorder.stop();
  });

  it('logs a failed pass instead of stopping, and scores nothing that pass', async () => {
    const record = fakeRecord();
    record.failNextPass();
    const logger = notingLogger();
    const recorder = await startServedEstimateRecorder(record, { clock: () => new Date('2027-02-25T06:00:00Z'), logger });
    expect(record.calls).toEqual(['migrate', 'record 2027-02-25']);
    expect(logger.lines).toEqual(['error served estimates: pass failed: connection refused']);
    await recorder.stop();
  });
});
