import { decide, type DecideResult } from '../lib/decide';
import { foldCase } from '../index';
import type { CaseEvent } from '../lib/case-events';
import type { CaseCommand } from '../lib/commands';
import type { DomainErrorCode } from '../lib/errors';

/**
 * Given/when/then for the case decider: given the case's history, when a command arrives,
 * then these events are recorded, or the command is refused with this code (and field).
 */
export function given(...history: CaseEvent[]) {
  return {
    when(command: CaseCommand) {
      const result: DecideResult = decide(command, foldCase(history));
      return {
        result,
        then(...expected: CaseEvent[]): void {
          expect(result).toEqual({ ok: true, events: expected });
        },
        thenRejects(code: DomainErrorCode, field?: string): void {
          const error = field === undefined ? { code, message: expect.any(String) } : { code, message: expect.any(String), field };
          expect(result).toEqual({ ok: false, error });
        },
      };
    },
  };
}
