import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { QUESTION_IDS, type QuestionId } from '@case-status/feedback';
import { LanguageEnum } from '../shared/shared.models';

/**
 * The GraphQL types of the customer feedback survey (OMB A-11 Section 280). Resolvers return
 * the feedback lib's results as they are; these classes describe them to the schema.
 */

/** SATISFACTION → 'satisfaction', EMPLOYEE_HELPFULNESS → 'employeeHelpfulness': the stored ids. */
const FeedbackQuestion = Object.fromEntries(QUESTION_IDS.map((id) => [id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), id])) as Record<string, QuestionId>;
registerEnumType(FeedbackQuestion, { name: 'FeedbackQuestion', description: 'The A-11 customer experience questions of the survey.' });

@ObjectType({ description: 'One point of the agreement scale.' })
export class FeedbackScalePoint {
  @Field(() => Int, { description: '1 = strongly disagree … 5 = strongly agree.' }) value!: number;
  @Field() label!: string;
}

@ObjectType()
export class FeedbackSurveyQuestion {
  @Field(() => FeedbackQuestion) id!: QuestionId;
  @Field({ description: 'The A-11 driver the statement measures, e.g. Ease.' }) driver!: string;
  @Field({ description: 'The statement to agree or disagree with.' }) text!: string;
}

@ObjectType()
export class FeedbackFreeText {
  @Field() prompt!: string;
  @Field({ description: 'What not to write (personal details); shown under the text box.' }) hint!: string;
  @Field(() => Int) maxLength!: number;
}

@ObjectType({ description: 'The post-decision survey in one language. Every question may be skipped; at least one must be answered.' })
export class FeedbackSurvey {
  @Field(() => LanguageEnum) language!: string;
  @Field() intro!: string;
  @Field(() => [FeedbackScalePoint]) scale!: FeedbackScalePoint[];
  @Field(() => [FeedbackSurveyQuestion]) questions!: FeedbackSurveyQuestion[];
  @Field(() => FeedbackFreeText) freeText!: FeedbackFreeText;
}

@InputType({ description: 'Answers from 1 (strongly disagree) to 5 (strongly agree); leave out or null what you skip.' })
export class FeedbackAnswersInput {
  @Field(() => Int, { nullable: true }) satisfaction?: number | null;
  @Field(() => Int, { nullable: true }) trust?: number | null;
  @Field(() => Int, { nullable: true }) effectiveness?: number | null;
  @Field(() => Int, { nullable: true }) ease?: number | null;
  @Field(() => Int, { nullable: true }) efficiency?: number | null;
  @Field(() => Int, { nullable: true }) equity?: number | null;
  @Field(() => Int, { nullable: true }) employeeHelpfulness?: number | null;
  @Field(() => String, { nullable: true, description: 'Optional comment, at most 2,000 characters. Numbers and email addresses in it are removed before it is stored; it is never published.' })
  freeText?: string | null;
}

@ObjectType({ description: 'The response was recorded (or had been, with the same answers).' })
export class FeedbackReceiptResult {
  @Field({ description: 'Fiscal quarter the response counts in, e.g. FY2027-Q1.' }) quarter!: string;
  @Field({ description: 'True when the same answers had already been recorded for this case.' }) replayed!: boolean;
}

/** The lib's counts are keyed by scale value; each field reads its key. */
@ObjectType({ description: 'How many answers chose each point of the scale.' })
export class FeedbackScaleCounts {
  @Field(() => Int, { name: 'stronglyDisagree' }) 1!: number;
  @Field(() => Int, { name: 'disagree' }) 2!: number;
  @Field(() => Int, { name: 'neitherAgreeNorDisagree' }) 3!: number;
  @Field(() => Int, { name: 'agree' }) 4!: number;
  @Field(() => Int, { name: 'stronglyAgree' }) 5!: number;
}

@ObjectType()
export class FeedbackQuestionResult {
  @Field(() => FeedbackQuestion) question!: QuestionId;
  @Field(() => Int, { description: 'How many responses answered this question: its sample size.' }) responses!: number;
  @Field({ description: 'False when fewer than `minimumResponses` answered it: then counts and agreeShare are null ("too few responses to publish").' })
  published!: boolean;
  @Field(() => FeedbackScaleCounts, { nullable: true }) counts!: FeedbackScaleCounts | null;
  @Field(() => Float, { nullable: true, description: 'Share of the answers that agree or strongly agree, 0 to 1.' }) agreeShare!: number | null;
}

@ObjectType({ description: 'The responses for one service of an agency in one fiscal quarter.' })
export class FeedbackGroupResult {
  @Field() agency!: string;
  @Field({ description: 'Form type, e.g. I-130.' }) service!: string;
  @Field({ description: 'Form name, e.g. Petition for Alien Relative.' }) serviceName!: string;
  @Field({ description: 'Fiscal quarter, e.g. FY2027-Q1 (October to December 2026).' }) quarter!: string;
  @Field({ description: 'First day of the quarter, YYYY-MM-DD.' }) quarterStart!: string;
  @Field({ description: 'Last day of the quarter, YYYY-MM-DD.' }) quarterEnd!: string;
  @Field(() => Int, { description: 'Responses received for the service in the quarter.' }) responses!: number;
  @Field(() => [FeedbackQuestionResult]) questions!: FeedbackQuestionResult[];
}

@ObjectType({ description: 'Survey results of closed fiscal quarters. Free-text comments are never published.' })
export class FeedbackResults {
  @Field() agency!: string;
  @Field(() => Int, { description: 'A question’s breakdown is published from this many answers in a group.' }) minimumResponses!: number;
  @Field({ description: 'The quarter still open; its results appear once it has ended.' }) openQuarter!: string;
  @Field({ description: 'Where the same results are served as CSV for quarterly reporting.' }) csvPath!: string;
  @Field(() => [FeedbackGroupResult], { description: 'By service, then quarter (oldest first).' }) groups!: FeedbackGroupResult[];
}

@ObjectType({ description: 'A free-text comment, with personal details redacted. Caseworkers only.' })
export class FeedbackComment {
  @Field() service!: string;
  @Field() quarter!: string;
  @Field(() => LanguageEnum) language!: string;
  @Field() text!: string;
}

@ObjectType()
export class FeedbackCommentPage {
  @Field(() => [FeedbackComment]) comments!: FeedbackComment[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last one.' }) endCursor!: string | null;
}
