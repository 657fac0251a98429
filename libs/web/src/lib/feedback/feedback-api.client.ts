import { StatusApiProblem, visitorHeaders } from '../status-api.client';

/**
 * The survey's calls to the status API over GraphQL HTTP (and its CSV route), with the
 * visitor's address passed on as the site's other calls do (`visitorHeaders`), so the API's
 * public rate limit counts visitors, not the site.
 */

export type QuestionId = 'SATISFACTION' | 'TRUST' | 'EFFECTIVENESS' | 'EASE' | 'EFFICIENCY' | 'EQUITY' | 'EMPLOYEE_HELPFULNESS';

export interface SurveyView {
  intro: string;
  scale: { value: number; label: string }[];
  questions: { id: QuestionId; driver: string; text: string }[];
  freeText: { prompt: string; hint: string; maxLength: number };
}

export interface FeedbackResultsView {
  agency: string;
  minimumResponses: number;
  openQuarter: string;
  groups: {
    service: string;
    serviceName: string;
    quarter: string;
    quarterStart: string;
    quarterEnd: string;
    responses: number;
    questions: { question: QuestionId; responses: number; published: boolean; agreeShare: number | null }[];
  }[];
}

/** The answers as the API takes them: field names of `FeedbackAnswersInput`. */
export type AnswersInput = Partial<Record<'satisfaction' | 'trust' | 'effectiveness' | 'ease' | 'efficiency' | 'equity' | 'employeeHelpfulness', number>> & { freeText?: string };

interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number; argument?: string } }[];
}

/** A refusal of the survey, with the input it names (e.g. `answers`). */
export class FeedbackProblem extends StatusApiProblem {
  constructor(
    code: string,
    message: string,
    readonly argument: string | undefined,
    retryAfterSeconds?: number,
  ) {
    super(code, message, retryAfterSeconds);
  }
}

export class FeedbackApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly forwardingKey: string | undefined;

  /** `forwardingKey`: as `StatusApiClientOptions.forwardingKey`. */
  constructor(options: { url: string; timeoutMs?: number; forwardingKey?: string }) {
    this.base = options.url;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.forwardingKey = options.forwardingKey;
  }

  async survey(language: 'EN' | 'ES', agency: string, clientIp?: string): Promise<SurveyView> {
    const data = await this.graphql<{ feedbackSurvey: SurveyView }>(
      'query ($l: Language, $a: String) { feedbackSurvey(language: $l, agency: $a) { intro scale { value label } questions { id driver text } freeText { prompt hint maxLength } } }',
      { l: language, a: agency },
      clientIp,
    );
    return data.feedbackSurvey;
  }

  async submit(receiptNumber: string, answers: AnswersInput, language: 'EN' | 'ES', clientIp?: string): Promise<{ quarter: string; replayed: boolean }> {
    const data = await this.graphql<{ submitFeedback: { quarter: string; replayed: boolean } | null }>(
      'mutation ($r: String!, $a: FeedbackAnswersInput!, $l: Language) { submitFeedback(receiptNumber: $r, answers: $a, language: $l) { quarter replayed } }',
      { r: receiptNumber, a: answers, l: language },
      clientIp,
    );
    if (!data.submitFeedback) throw new FeedbackProblem('UNAVAILABLE', 'submitFeedback answered nothing', undefined);
    return data.submitFeedback;
  }

  async results(agency: string, service: string | undefined, clientIp?: string): Promise<FeedbackResultsView> {
    const data = await this.graphql<{ feedbackResults: FeedbackResultsView | null }>(
      `query ($a: String!, $s: String) { feedbackResults(agency: $a, service: $s) { agency minimumResponses openQuarter
        groups { service serviceName quarter quarterStart quarterEnd responses questions { question responses published agreeShare } } } }`,
      { a: agency, s: service ?? null },
      clientIp,
    );
    if (!data.feedbackResults) throw new FeedbackProblem('UNAVAILABLE', 'feedbackResults answered nothing', undefined);
    return data.feedbackResults;
  }

  /** The API's CSV export as it answered (status, type, body), for the site to pass on. */
  async resultsCsv(query: URLSearchParams, clientIp?: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    let response: Response;
    try {
      response = await fetch(new URL(`/feedback/results.csv?${query}`, this.base), {
        headers: { accept: 'text/csv', ...visitorHeaders(clientIp, this.forwardingKey) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new StatusApiProblem('UNAVAILABLE', `status API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-disposition', 'cache-control', 'retry-after']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { status: response.status, headers, body: await response.text() };
  }

  private async graphql<T>(query: string, variables: Record<string, unknown>, clientIp?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL('/graphql', this.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...visitorHeaders(clientIp, this.forwardingKey) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new StatusApiProblem('UNAVAILABLE', `status API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    let answer: GraphqlAnswer<T>;
    try {
      answer = (await response.json()) as GraphqlAnswer<T>;
    } catch {
      throw new StatusApiProblem('UNAVAILABLE', `status API answered ${response.status} without JSON`);
    }
    const error = answer.errors?.[0];
    if (error) throw new FeedbackProblem(error.extensions?.code ?? 'UNAVAILABLE', error.message, error.extensions?.argument, error.extensions?.retryAfterSeconds);
    if (!answer.data) throw new StatusApiProblem('UNAVAILABLE', `status API answered ${response.status} without data`);
    return answer.data;
  }
}
