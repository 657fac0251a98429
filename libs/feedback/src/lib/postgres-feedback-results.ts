import { Pool } from 'pg';
import type { Language } from '@case-status/case-domain';
import { guardPool, quoteIdent } from '@case-status/postgres-support';
import { CommentCursors } from './comment-cursor';
import { summarizeResults, type AnswerCountRow, type GroupCountRow, type GroupResult, type ResultsFilter, type ResultsPolicy } from './feedback-results';
import type { FiscalQuarter } from './fiscal-quarter';
import { assertProjectionSchema } from '@case-status/projection-runner';
import { feedbackResults } from './apply-feedback-batch';

export interface CommentsFilter {
  agency: string;
  quarter: FiscalQuarter;
  service?: string;
}

export interface FeedbackComment {
  service: string;
  quarter: FiscalQuarter;
  language: Language;
  /** Redacted when it was submitted. */
  text: string;
}

export interface CommentPage {
  comments: FeedbackComment[];
  /** Pass as `after` for the next page; null on the last one. */
  endCursor: string | null;
}

/** What the status API asks of the survey results; PostgresFeedbackResults answers it. */
export interface FeedbackResultsReader {
  results(filter: ResultsFilter, policy: ResultsPolicy): Promise<GroupResult[]>;
  /**
   * Comments of groups that reached `minResponses`, in an order unrelated to when they were
   * given; the cursor is sealed and opens only for the same query on the same deployment.
   */
  comments(filter: CommentsFilter, page: { first: number; after?: string }, minResponses: number): Promise<CommentPage>;
}

export interface PostgresFeedbackResultsOptions {
  /** A pool to use (not ended on close), or a connection string (its own pool, ended on close). */
  connection: Pool | string;
  schema?: string;
  /**
   * The feedback secret (`FEEDBACK_SECRET`). Comment cursors are sealed under a key derived
   * from it, so every instance of a deployment accepts the others' cursors and no other
   * deployment's.
   */
  secret: string;
}

/** Thrown for a cursor this reader did not issue for this query; it is not echoed back. */
class InvalidCursorError extends Error {
  readonly code = 'INVALID_QUERY_ARGUMENT';
  readonly argument = 'after';
  constructor() {
    super('after: not a cursor this API returned for this query; pass endCursor from the previous page of the same query');
  }
}

/** Reads the feedback projection's tables (schema `feedback` by default). */
export class PostgresFeedbackResults implements FeedbackResultsReader {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly schema: string;
  private readonly cursors: CommentCursors;

  constructor(options: PostgresFeedbackResultsOptions) {
    this.cursors = new CommentCursors(options.secret);
    this.schema = options.schema ?? feedbackResults.schema;
    assertProjectionSchema(this.schema);
    this.ownsPool = typeof options.connection === 'string';
    this.pool = guardPool(typeof options.connection === 'string' ? new Pool({ connectionString: options.connection, max: 2 }) : options.connection);
  }

  async results(filter: ResultsFilter, policy: ResultsPolicy): Promise<GroupResult[]> {
    const s = quoteIdent(this.schema);
    const where = `agency = $1 AND ($2::text IS NULL OR service = $2) AND ($3::text IS NULL OR quarter >= $3)
      AND ($4::text IS NULL OR quarter <= $4) AND ($5::text IS NULL OR quarter < $5)`;
    const params = [filter.agency, filter.service ?? null, filter.fromQuarter ?? null, filter.toQuarter ?? null, policy.beforeQuarter ?? null];
    const [groups, answers] = await Promise.all([
      this.pool.query<GroupCountRow>(`SELECT agency, service, quarter, responses FROM ${s}.group_responses WHERE ${where}`, params),
      this.pool.query<AnswerCountRow>(`SELECT agency, service, quarter, question, value, responses FROM ${s}.answer_counts WHERE ${where}`, params),
    ]);
    return summarizeResults(groups.rows, answers.rows, policy);
  }

  async comments(filter: CommentsFilter, page: { first: number; after?: string }, minResponses: number): Promise<CommentPage> {
    const s = quoteIdent(this.schema);
    const query = JSON.stringify([filter.agency, filter.quarter, filter.service ?? null]);
    const after = page.after === undefined ? null : this.cursors.open(page.after, query);
    if (after === null && page.after !== undefined) throw new InvalidCursorError();
    const { rows } = await this.pool.query<{ content_key: string; copy: number; service: string; quarter: string; language: Language; text: string }>(
      `SELECT c.content_key, c.copy, c.service, c.quarter, c.language, c.text
       FROM ${s}.comments c
       JOIN ${s}.group_responses g USING (agency, quarter, service)
       WHERE c.agency = $1 AND c.quarter = $2 AND ($3::text IS NULL OR c.service = $3)
         AND g.responses >= $4 AND ($5::text IS NULL OR (c.content_key, c.copy) > ($5, $6::integer))
       ORDER BY c.content_key, c.copy
       LIMIT $7`,
      [filter.agency, filter.quarter, filter.service ?? null, minResponses, after?.contentKey ?? null, after?.copy ?? 0, page.first + 1],
    );
    const shown = rows.slice(0, page.first);
    const last = shown[shown.length - 1];
    return {
      comments: shown.map(({ service, quarter, language, text }) => ({ service, quarter, language, text })),
      endCursor: rows.length > page.first ? this.cursors.seal({ contentKey: last.content_key, copy: last.copy }, query) : null,
    };
  }

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}
