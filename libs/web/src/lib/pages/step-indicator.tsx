/** @jsxRuntime automatic @jsxImportSource preact */
import type { CaseStep } from '../api/operations.generated';
import type { PageContext } from './page-context';

const SEGMENTS = ['received', 'in_review', 'decided', 'documents'] as const;

/** Where each public step sits on the indicator; evidence is part of the review, and a closed case has passed every step. */
const POSITION: Record<CaseStep, number> = { RECEIVED: 0, IN_REVIEW: 1, EVIDENCE: 1, DECIDED: 2, DOCUMENTS: 3, CLOSED: SEGMENTS.length };

/** The USWDS step indicator for the common lifecycle every agency maps its events onto. */
export function StepIndicator({ context, step }: { context: PageContext; step: CaseStep }) {
  const { t } = context;
  const current = POSITION[step];
  const heading = step === 'CLOSED' ? t.casePage.closedStep : step === 'EVIDENCE' ? t.casePage.evidenceStep : t.casePage.steps[SEGMENTS[current]];
  return (
    <div class="usa-step-indicator usa-step-indicator--counters-sm margin-y-4" aria-label={t.casePage.stepsLabel}>
      <ol class="usa-step-indicator__segments">
        {SEGMENTS.map((segment, i) => {
          const state = i < current ? 'complete' : i === current ? 'current' : 'upcoming';
          return (
            <li
              key={segment}
              class={`usa-step-indicator__segment${state === 'complete' ? ' usa-step-indicator__segment--complete' : state === 'current' ? ' usa-step-indicator__segment--current' : ''}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span class="usa-step-indicator__segment-label">
                {t.casePage.steps[segment]}
                {state !== 'current' && <span class="usa-sr-only"> {state === 'complete' ? t.casePage.completed : t.casePage.notCompleted}</span>}
              </span>
            </li>
          );
        })}
      </ol>
      <div class="usa-step-indicator__header">
        <h2 class="usa-step-indicator__heading">
          {step !== 'CLOSED' && (
            <span class="usa-step-indicator__heading-counter">
              <span class="usa-sr-only">{t.casePage.stepWord}</span> <span class="usa-step-indicator__current-step">{current + 1}</span>{' '}
              <span class="usa-step-indicator__total-steps">{t.casePage.ofTotal(SEGMENTS.length)}</span>{' '}
            </span>
          )}
          <span class="usa-step-indicator__heading-text">{heading}</span>
        </h2>
      </div>
    </div>
  );
}
