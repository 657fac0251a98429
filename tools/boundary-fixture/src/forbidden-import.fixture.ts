// A domain-tagged file importing an adapter: the module-boundaries rule must refuse it.
// Never fix this import; boundaries.spec.ts checks that linting it fails.
import { EVENT_STORE } from '@case-status/event-store';

export const forbidden = EVENT_STORE;
