import { CASE_EVENT_TYPES } from './case-events';
import { COMMAND_FOR_EVENT, EVENT_FOR_COMMAND } from './commands';

describe('the event ↔ command mapping', () => {
  it('maps every event type in the taxonomy to a distinct command', () => {
    expect(Object.keys(COMMAND_FOR_EVENT).sort()).toEqual([...CASE_EVENT_TYPES].sort());
    expect(new Set(Object.values(COMMAND_FOR_EVENT)).size).toBe(CASE_EVENT_TYPES.length);
  });

  it('maps each command back to the event it was mapped from', () => {
    for (const eventType of CASE_EVENT_TYPES) {
      expect(EVENT_FOR_COMMAND[COMMAND_FOR_EVENT[eventType]]).toBe(eventType);
    }
  });
});
