/** @jsxRuntime automatic @jsxImportSource preact */
import { Layout } from '../pages/layout';
import { href, type PageContext } from '../pages/page-context';
import type { FeedbackAnswersInput, FeedbackQuestion, FeedbackSurveyQuery } from '../api/operations.generated';
import { FEEDBACK_MESSAGES } from './feedback-messages';

/** Form field names: the question ids as the API's input spells them. */
export const FIELD_OF: Record<FeedbackQuestion, keyof Omit<FeedbackAnswersInput, 'freeText'>> = {
  SATISFACTION: 'satisfaction',
  TRUST: 'trust',
  EFFECTIVENESS: 'effectiveness',
  EASE: 'ease',
  EFFICIENCY: 'efficiency',
  EQUITY: 'equity',
  EMPLOYEE_HELPFULNESS: 'employeeHelpfulness',
};

export interface SurveyFormState {
  /** What was chosen, by field name: '1'…'5' or 'skip'. */
  answers?: Record<string, string>;
  freeText?: string;
  /** A problem with the whole response, shown above the form and linked from the summary. */
  error?: { message: string; field: 'answers' | 'freeText' };
}

/**
 * The A-11 survey as a plain HTML form: one group of radio buttons per statement (with a
 * way to skip it again without JavaScript), an optional comment, one submit button.
 */
export function SurveyPage({
  context,
  receiptNumber,
  survey,
  state,
  hidden,
}: {
  context: PageContext;
  receiptNumber: string;
  survey: FeedbackSurveyQuery['feedbackSurvey'];
  state: SurveyFormState;
  /** The proof the answer is sent with: the survey link's token, or the session's CSRF token. */
  hidden: { link: string } | { csrf: string };
}) {
  const m = FEEDBACK_MESSAGES[context.language].survey;
  const casePath = `/case/${encodeURIComponent(receiptNumber)}`;
  const error = state.error;
  return (
    <Layout context={context} title={error ? `${m.errorHeading}: ${m.title}` : m.title} section="case">
      <div class="usa-prose margin-top-4">
        <h1>{m.title}</h1>
        <p class="usa-intro">{survey.intro}</p>
        <p>{m.anonymous}</p>
      </div>
      {error && (
        <div class="usa-alert usa-alert--error margin-y-3" role="alert">
          <div class="usa-alert__body">
            <h2 class="usa-alert__heading">{m.errorHeading}</h2>
            <p class="usa-alert__text">
              <a class="usa-link" href={error.field === 'freeText' ? '#free-text' : `#${questionId(survey.questions[0]?.id ?? 'SATISFACTION')}`}>
                {error.message}
              </a>
            </p>
          </div>
        </div>
      )}
      <form class="usa-form usa-form--large" method="post" action={href(context, `${casePath}/feedback`)} data-feedback-form>
        {Object.entries(hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        {survey.questions.map((question, index) => {
          const field = FIELD_OF[question.id];
          const chosen = state.answers?.[field];
          const id = questionId(question.id);
          return (
            <fieldset class={`usa-fieldset margin-top-4${error?.field === 'answers' && index === 0 ? ' usa-form-group--error' : ''}`} key={question.id} id={id}>
              <legend class="usa-legend usa-legend--large">{question.text}</legend>
              {survey.scale.map((point) => (
                <div class="usa-radio" key={point.value}>
                  <input class="usa-radio__input" id={`${id}-${point.value}`} type="radio" name={field} value={String(point.value)} checked={chosen === String(point.value)} />
                  <label class="usa-radio__label" for={`${id}-${point.value}`}>
                    {point.label}
                  </label>
                </div>
              ))}
              <div class="usa-radio">
                <input class="usa-radio__input" id={`${id}-skip`} type="radio" name={field} value="skip" checked={chosen === 'skip'} />
                <label class="usa-radio__label" for={`${id}-skip`}>
                  {m.skip}
                </label>
              </div>
            </fieldset>
          );
        })}
        <div class={`usa-form-group margin-top-4${error?.field === 'freeText' ? ' usa-form-group--error' : ''}`}>
          <label class="usa-label" for="free-text">
            {survey.freeText.prompt}
          </label>
          <div class="usa-hint" id="free-text-hint">
            {survey.freeText.hint}
          </div>
          {error?.field === 'freeText' && (
            <span class="usa-error-message" id="free-text-error">
              {error.message}
            </span>
          )}
          <textarea
            class={`usa-textarea${error?.field === 'freeText' ? ' usa-input--error' : ''}`}
            id="free-text"
            name="freeText"
            rows={5}
            maxLength={survey.freeText.maxLength}
            aria-describedby={error?.field === 'freeText' ? 'free-text-hint free-text-error' : 'free-text-hint'}
          >
            {state.freeText ?? ''}
          </textarea>
        </div>
        <button class="usa-button margin-top-4" type="submit">
          {m.submit}
        </button>
      </form>
      <p class="margin-top-4">
        <a class="usa-link" href={href(context, casePath)}>
          {m.backToCase}
        </a>
      </p>
    </Layout>
  );
}

function questionId(id: FeedbackQuestion): string {
  return `question-${FIELD_OF[id]}`;
}

