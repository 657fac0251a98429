import type { Projection } from '@case-status/projection-runner';
import { caseReadModels } from './apply-batch';
import { weeklyCaseFlow } from './weekly-case-flow.projection';

/** Every projection of case streams the projector runs, each in its own schema; a new one is its file plus a line here. */
export const CASE_PROJECTIONS: readonly Projection[] = [caseReadModels, weeklyCaseFlow];
