/** @jsxRuntime automatic @jsxImportSource preact */
import type { PageContext } from './page-context';

/**
 * After a decision, the case page offers the customer feedback survey (OMB Circular A-11,
 * Section 280). The survey and its results live elsewhere; this is where the page links to
 * them. Nothing is shown before a decision, or when the site was started without a survey.
 */
export function SurveyInvitation({ context, surveyHref }: { context: PageContext; surveyHref: string | null }) {
  if (!surveyHref) return null;
  const { t } = context;
  return (
    <section class="usa-alert usa-alert--info margin-y-4" aria-labelledby="feedback-heading" data-feedback-survey>
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading" id="feedback-heading">
          {t.feedback.heading}
        </h2>
        <p class="usa-alert__text">{t.feedback.body}</p>
        {/* In the alert's text column: directly in the alert's body, a phone-wide button would reach past the alert. */}
        <p class="usa-alert__text margin-top-1">
          <a class="usa-button" href={surveyHref}>
            {t.feedback.link}
          </a>
        </p>
      </div>
    </section>
  );
}
