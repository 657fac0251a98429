import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { OperationLimits, type PublicRateLimitOptions } from '../limits/operation-limits';
import { sendCsvDownload } from '../shared/csv-download';
import { estimateAccuracyOf } from './estimate-accuracy.resolver';
import type { EstimateAccuracyMonth } from './estimate.models';

/** The path of the CSV of `estimateAccuracy` on the status API. */
const ESTIMATE_ACCURACY_CSV_PATH = '/estimates/accuracy.csv';
export const ESTIMATE_ACCURACY_CSV_RATE_LIMIT = Symbol('ESTIMATE_ACCURACY_CSV_RATE_LIMIT');

const CSV_COLUMNS = [
  'agency',
  'form_type',
  'month',
  'scored_through',
  'served',
  'no_date',
  'percent_no_date',
  'dates_scored',
  'dates_came_true',
  'percent_came_true',
  'errors_counted',
  'median_error_days',
  'published_dates_scored',
  'published_dates_came_true',
  'published_percent_came_true',
  'published_errors_counted',
  'published_median_error_days',
] as const;

const percent = (share: number | null) => (share === null ? '' : (Math.round(share * 1000) / 10).toFixed(1));
const days = (value: number | null) => (value === null ? '' : String(value));

/**
 * RFC 4180 CSV of the published accuracy, one row per month, newest first; figures resting on
 * fewer than 20 cases are empty (their counts are given). Any cell that a spreadsheet would
 * read as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with a quote.
 */
export function estimateAccuracyCsv(months: readonly EstimateAccuracyMonth[]): string {
  const rows = months.map((m) => [
    m.agency,
    m.formType,
    m.month,
    m.scoredThrough,
    m.served,
    m.withheld,
    percent(m.withheldShare),
    m.estimates.scored,
    m.estimates.cameTrue,
    percent(m.estimates.cameTrueShare),
    m.estimates.errors,
    days(m.estimates.medianErrorDays),
    m.publishedStyle.scored,
    m.publishedStyle.cameTrue,
    percent(m.publishedStyle.cameTrueShare),
    m.publishedStyle.errors,
    days(m.publishedStyle.medianErrorDays),
  ]);
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows', escape_formulas: true });
}

/**
 * `GET /estimates/accuracy.csv?agency=USCIS&formType=I-485`: `estimateAccuracy` as CSV, public,
 * charged to the client's lookup limit. Refusals are RFC 9457 problem+json with the GraphQL codes.
 */
@Controller()
export class EstimateAccuracyCsvController {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(ESTIMATE_ACCURACY_CSV_RATE_LIMIT) private readonly rateLimit: PublicRateLimitOptions | false,
    private readonly limits: OperationLimits,
  ) {}

  @Get(ESTIMATE_ACCURACY_CSV_PATH)
  async download(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await sendCsvDownload(reply, { 429: 'Too many requests' }, async () => {
      if (this.rateLimit !== false) await this.limits.chargeRoute(request, reply, this.rateLimit, 'lookups', 'lookups');
      const query = request.query as Record<string, unknown>;
      const agency = typeof query['agency'] === 'string' ? query['agency'] : '';
      const formType = typeof query['formType'] === 'string' ? query['formType'] : '';
      const months = await estimateAccuracyOf(this.queries, agency, formType);
      return { body: estimateAccuracyCsv(months), fileName: `estimate-accuracy-${agency}-${formType}`, headers: { 'cache-control': 'public, max-age=300' } };
    });
  }
}
