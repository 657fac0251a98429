import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgencyTokenVerifier, TokenRejected } from '@case-status/agency-auth';
import { fiscalQuarterOf, MIN_PUBLISHED_RESPONSES, resultsCsv, type FeedbackResultsReader, type ResultsPolicy } from '@case-status/feedback';
import { CASEWORKER_ROLE, CASEWORKER_TOKEN_VERIFIER } from '../caseworker/caseworker.guard';
import { FEEDBACK_CSV_PATH, resultsFilter, unavailable } from './feedback-arguments';
import { FEEDBACK_CSV_RATE_LIMIT, FEEDBACK_RESULTS } from './feedback.options';
import { OperationLimits, type PublicRateLimitOptions } from '../limits/operation-limits';
import { sendCsvDownload } from '../shared/csv-download';
import { StatusApiError } from '../shared/status-errors';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  429: 'Too many requests',
  503: 'Feedback unavailable',
};

/**
 * `GET /feedback/results.csv?agency=USCIS[&service=I-130][&fromQuarter=FY2026-Q1][&toQuarter=...]`:
 * the survey results as CSV for an agency's quarterly A-11 data submission. Public: the same
 * figures as `feedbackResults` (closed quarters, small samples withheld). With a caseworker
 * token of that agency: every quarter including the open one, and every count, since the
 * agency reports them itself. Refusals are RFC 9457 problem+json with the same codes as
 * the GraphQL errors.
 */
@Controller()
export class FeedbackResultsCsvController {
  constructor(
    @Inject(FEEDBACK_RESULTS) private readonly results: FeedbackResultsReader | null,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
    @Inject(CASEWORKER_TOKEN_VERIFIER) private readonly verifier: AgencyTokenVerifier,
    @Inject(FEEDBACK_CSV_RATE_LIMIT) private readonly rateLimit: PublicRateLimitOptions | false,
    private readonly limits: OperationLimits,
  ) {}

  @Get(FEEDBACK_CSV_PATH)
  async download(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await sendCsvDownload(reply, TITLES, async () => {
      await this.checkRate(request, reply);
      const query = request.query as Record<string, unknown>;
      const filter = resultsFilter({
        agency: text(query, 'agency') ?? '',
        service: text(query, 'service'),
        fromQuarter: text(query, 'fromQuarter'),
        toQuarter: text(query, 'toQuarter'),
      });
      const results = this.results;
      if (!results) throw unavailable();
      const policy = await this.policyFor(request, filter.agency);
      return {
        body: resultsCsv(await results.results(filter, policy)),
        fileName: ['feedback', filter.agency, filter.service, filter.fromQuarter, filter.toQuarter].filter(Boolean).join('-'),
        // Caseworker answers hold unpublished counts: never kept by a shared cache.
        headers: { 'cache-control': policy.minResponses === 0 ? 'private, no-store' : 'public, max-age=300', vary: 'authorization' },
      };
    });
  }

  /** Public figures, unless a caseworker of the agency asks. A token that does not pass is refused, not ignored. */
  private async policyFor(request: FastifyRequest, agency: string): Promise<ResultsPolicy> {
    const publicPolicy = { minResponses: MIN_PUBLISHED_RESPONSES, beforeQuarter: fiscalQuarterOf(this.settings.clock()) };
    if (request.headers.authorization === undefined) return publicPolicy;
    try {
      const principal = await this.verifier.verify(request.headers.authorization);
      if (!principal.roles.has(CASEWORKER_ROLE)) throw new StatusApiError('FORBIDDEN', `The token of ${principal.subject} does not carry the "${CASEWORKER_ROLE}" role.`, {}, 403);
      if (principal.agency.code !== agency) {
        throw new StatusApiError('FORBIDDEN', `agency: a ${principal.agency.code} caseworker may only export ${principal.agency.code} results, not ${agency}.`, { argument: 'agency' }, 403);
      }
      return { minResponses: 0 };
    } catch (error) {
      if (error instanceof TokenRejected) throw new StatusApiError('UNAUTHENTICATED', `Caseworker access needs a valid agency token: ${error.reason}.`, {}, 401);
      throw error;
    }
  }

  private async checkRate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (this.rateLimit === false) return;
    await this.limits.chargeRoute(request, reply, this.rateLimit, 'downloads', 'downloads');
  }
}

/** A query parameter given once; repeated or missing ones are treated as absent. */
function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}
