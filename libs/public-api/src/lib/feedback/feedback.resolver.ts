import { Inject, UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { PersonAssertionRejected, personStreamId, type PersonAssertionVerifier, type PostgresCaseLinks } from '@case-status/identity';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { findAgency, type Language } from '@case-status/case-domain';
import {
  fiscalQuarterOf,
  MIN_PUBLISHED_RESPONSES,
  quarterDates,
  surveyIn,
  type CommentPage,
  type FeedbackReceipt,
  type FeedbackResultsReader,
  type GroupResult,
  type Survey,
} from '@case-status/feedback';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { agencyOfReceipt, checkFormType, checkIntegerInRange, knownAgency } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { CASE_LINKS, PERSON_ASSERTION_VERIFIER } from '../my-cases/my-cases.options';
import { findCase } from '../lookup/case-status.resolver';
import { CaseworkerGuard, CurrentCaseworker } from '../caseworker/caseworker.guard';
import { checkQuarter, FEEDBACK_CSV_PATH, refusalsCoded, resultsFilter, unavailable } from './feedback-arguments';
import { FeedbackAnswersInput, FeedbackCommentPage, FeedbackReceiptResult, FeedbackResults, FeedbackSurvey } from './feedback.models';
import { FEEDBACK_RESULTS, FEEDBACK_SUBMISSIONS, type FeedbackSubmissions } from './feedback.options';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { LanguageEnum } from '../shared/shared.models';

const DEFAULT_COMMENT_PAGE = 50;

/**
 * The one answer to anyone who cannot show they are the applicant, whatever the case: unknown,
 * undecided, answered or not. Saying more would tell a stranger with a receipt number what
 * the survey is for this case.
 */
function notAllowed(): StatusApiError {
  return new StatusApiError(
    'FEEDBACK_NOT_ALLOWED',
    "Only the applicant can answer a case's survey: open the survey link sent with the decision, or sign in (identity verified) and open the survey from My cases.",
  );
}
const MAX_COMMENT_PAGE = 100;

/** The published results of one group, with what a page needs to show it. */
function describeGroup(group: GroupResult) {
  const { start, end } = quarterDates(group.quarter);
  const serviceName = findAgency(group.agency)?.formTypes.find((form) => form.code === group.service)?.name ?? group.service;
  return { ...group, serviceName, quarterStart: start, quarterEnd: end };
}

/**
 * The post-decision customer feedback survey (OMB A-11 Section 280): its questions, the
 * public submission, and the published results. Public and rate-limited.
 */
@Resolver()
export class FeedbackResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(FEEDBACK_SUBMISSIONS) private readonly submissions: FeedbackSubmissions | null,
    @Inject(FEEDBACK_RESULTS) private readonly results: FeedbackResultsReader | null,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
    @Inject(PERSON_ASSERTION_VERIFIER) private readonly people: PersonAssertionVerifier | null,
    @Inject(CASE_LINKS) private readonly links: Pick<PostgresCaseLinks, 'linkedCases'> | null,
  ) {}

  @Query(() => FeedbackSurvey, { description: 'The survey offered after a decision, in one language. Public.' })
  feedbackSurvey(
    @Args('language', { type: () => LanguageEnum, defaultValue: 'en' }) language: Language,
    @Args('agency', { nullable: true, description: 'Names the agency in the questions, e.g. USCIS; "the agency" without it.' }) agencyCode?: string,
  ): Survey {
    const agency = agencyCode == null ? undefined : knownAgency(agencyCode);
    return surveyIn(language, agency?.code);
  }

  @Mutation(() => FeedbackReceiptResult, {
    nullable: true,
    description:
      'Records an anonymous survey response for a decided case, once per case. The answers are not linked to the case. ' +
      "Only the applicant: with the case's survey link (`surveyLink`), or signed in at IAL2 with the case in My cases (the website's person assertion); " +
      'anyone else gets FEEDBACK_NOT_ALLOWED, whatever the case.',
  })
  async submitFeedback(
    @Context('req') request: FastifyRequest,
    @Args('receiptNumber') receiptNumber: string,
    @Args('answers', { type: () => FeedbackAnswersInput }) answers: FeedbackAnswersInput,
    @Args('language', { type: () => LanguageEnum, defaultValue: 'en', description: 'The language the survey was shown in.' }) language: Language,
    @Args('surveyLink', { type: () => String, nullable: true, description: 'The token of the survey link sent with the decision (its `link` parameter).' }) surveyLink: string | null,
  ): Promise<FeedbackReceipt> {
    const submissions = this.submissions;
    if (!submissions) throw unavailable();
    agencyOfReceipt(receiptNumber);
    // Who is asking comes first: until then nothing about the case is read or told.
    if (!(await this.isApplicant(submissions, receiptNumber, surveyLink, request.headers.authorization))) throw notAllowed();
    const view = await findCase(this.queries, receiptNumber);
    return refusalsCoded(() =>
      submissions.submit({ receiptNumber, agency: view.agency, formType: view.formType, decided: view.decision !== null }, { ...answers }, language),
    );
  }

  /** The holder of the case's survey link, or a person proofed at IAL2 who linked the case. */
  private async isApplicant(submissions: FeedbackSubmissions, receiptNumber: string, surveyLink: string | null, authorization: string | undefined): Promise<boolean> {
    if (surveyLink != null) return submissions.acceptsLink(receiptNumber, surveyLink);
    if (!this.people || !this.links || authorization === undefined) return false;
    const person = await this.people.verify(authorization).catch((error: unknown) => {
      if (error instanceof PersonAssertionRejected) return null;
      throw error;
    });
    if (!person || person.assuranceLevel < 2) return false;
    return (await this.links.linkedCases(personStreamId(person))).some((linked) => linked.receiptNumber === receiptNumber);
  }

  @Query(() => FeedbackResults, {
    nullable: true,
    description: 'Survey results per service and closed fiscal quarter, with sample sizes; breakdowns of questions with too few answers are withheld. Public.',
  })
  async feedbackResults(
    @Args('agency') agency: string,
    @Args('service', { nullable: true, description: 'A form type of the agency, e.g. I-130; all of them without it.' }) service?: string,
    @Args('fromQuarter', { nullable: true, description: 'First fiscal quarter, e.g. FY2026-Q1 (inclusive).' }) fromQuarter?: string,
    @Args('toQuarter', { nullable: true, description: 'Last fiscal quarter (inclusive).' }) toQuarter?: string,
  ) {
    const filter = resultsFilter({ agency, service, fromQuarter, toQuarter });
    const results = this.results;
    if (!results) throw unavailable();
    const openQuarter = fiscalQuarterOf(this.settings.clock());
    // The open quarter's counts still move; leaving it out until it ends means no one can
    // learn a single response by comparing the figures before and after it arrived.
    const groups = await results.results(filter, { minResponses: MIN_PUBLISHED_RESPONSES, beforeQuarter: openQuarter });
    const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return { agency: filter.agency, minimumResponses: MIN_PUBLISHED_RESPONSES, openQuarter, csvPath: `${FEEDBACK_CSV_PATH}?${query}`, groups: groups.map(describeGroup) };
  }
}

/** Free-text comments, redacted at submission, for the agency's own caseworkers. */
@Resolver()
@UseGuards(CaseworkerGuard)
export class FeedbackCommentsResolver {
  constructor(@Inject(FEEDBACK_RESULTS) private readonly results: FeedbackResultsReader | null) {}

  @Query(() => FeedbackCommentPage, {
    nullable: true,
    description: `Free-text comments of the caseworker's agency for one fiscal quarter, in no particular order; only for services with at least ${MIN_PUBLISHED_RESPONSES} responses that quarter. Caseworkers only.`,
  })
  feedbackComments(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('quarter', { description: 'Fiscal quarter, e.g. FY2027-Q1.' }) quarter: string,
    @Args('service', { type: () => String, nullable: true }) service: string | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_COMMENT_PAGE }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
  ): Promise<CommentPage> {
    checkQuarter(quarter, 'quarter');
    if (service != null) checkFormType(caseworker.agency, service, 'service');
    checkIntegerInRange(first, 1, MAX_COMMENT_PAGE, 'first');
    const results = this.results;
    if (!results) throw unavailable();
    return results.comments(
      { agency: caseworker.agency.code, quarter, ...(service != null && { service }) },
      { first, ...(after != null && { after }) },
      MIN_PUBLISHED_RESPONSES,
    );
  }
}
