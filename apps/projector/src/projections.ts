import { feedbackResults } from '@case-status/feedback';
import { caseLinks, helperGrants, representativesOfRecord } from '@case-status/identity';
import { CASE_PROJECTIONS } from '@case-status/read-models';

/** Every projection the projector runs and rebuilds, each with its own schema and checkpoint. */
export const PROJECTIONS = [...CASE_PROJECTIONS, feedbackResults, caseLinks, helperGrants, representativesOfRecord];
