import { FeedbackRefusedError, isFiscalQuarter, type ResultsFilter } from '@case-status/feedback';
import { checkFormType, knownAgency } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';

/** The path of the CSV export on the status API (served by FeedbackResultsCsvController). */
export const FEEDBACK_CSV_PATH = '/feedback/results.csv';

export function unavailable(): StatusApiError {
  return new StatusApiError('FEEDBACK_UNAVAILABLE', 'Customer feedback is not available on this server.', {}, 503);
}

/** The survey lib's refusals keep their code; anything else is not ours to explain. */
export async function refusalsCoded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof FeedbackRefusedError) {
      throw new StatusApiError(error.code, error.message, error.argument ? { argument: error.argument } : {});
    }
    throw error;
  }
}

export function checkQuarter(value: string, argument: string): void {
  if (!isFiscalQuarter(value)) {
    throw new StatusApiError('BAD_USER_INPUT', `${argument}: "${value}" is not a fiscal quarter; write it like FY2027-Q1 (October to December 2026).`, { argument });
  }
}

/** Checks the arguments of a results request (GraphQL or CSV) and returns the filter they make. */
export function resultsFilter(args: { agency: string; service?: string | null; fromQuarter?: string | null; toQuarter?: string | null }): ResultsFilter {
  const agency = knownAgency(args.agency);
  if (args.service != null) checkFormType(agency, args.service, 'service');
  if (args.fromQuarter != null) checkQuarter(args.fromQuarter, 'fromQuarter');
  if (args.toQuarter != null) checkQuarter(args.toQuarter, 'toQuarter');
  if (args.fromQuarter != null && args.toQuarter != null && args.fromQuarter > args.toQuarter) {
    throw new StatusApiError('BAD_USER_INPUT', `fromQuarter: ${args.fromQuarter} is after toQuarter ${args.toQuarter}.`, { argument: 'fromQuarter' });
  }
  return {
    agency: agency.code,
    ...(args.service != null && { service: args.service }),
    ...(args.fromQuarter != null && { fromQuarter: args.fromQuarter }),
    ...(args.toQuarter != null && { toQuarter: args.toQuarter }),
  };
}
