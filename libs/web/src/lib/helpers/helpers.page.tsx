/** @jsxRuntime automatic @jsxImportSource preact */
import type { LinkedCaseShownFragment, SharedWithMeQuery } from '../api/operations.generated';
import { formatInstant } from '../i18n/format';
import { PrivateCaseCard } from '../my-cases/my-cases.page';
import { Alert, TextField } from '../pages/components';
import { Layout } from '../pages/layout';
import { href, type PageContext } from '../pages/page-context';
import { ACCESS_DURATIONS, HELPERS_MESSAGES, type AccessDuration } from './helpers-messages';

/** What the invite form of one case shows again after a refusal: what was typed and what is wrong. */
export interface InviteFormState {
  receiptNumber: string;
  email?: string;
  duration?: AccessDuration;
  until?: string;
  emailError?: string;
  untilError?: string;
  refusal?: string;
}

/** On a case of My cases: who can see it (the grants, with a revoke button each) and the invite form. */
export function HelpersSection({ context, linkedCase, csrfToken, form }: { context: PageContext; linkedCase: LinkedCaseShownFragment; csrfToken: string; form?: InviteFormState }) {
  const t = HELPERS_MESSAGES[context.language];
  const { language, timeZone } = context;
  const id = (name: string) => `${name}-${linkedCase.receiptNumber}`;
  return (
    <section data-helpers aria-labelledby={id('helpers-heading')}>
      <h3 id={id('helpers-heading')} class="margin-bottom-1">
        {t.heading}
      </h3>
      <p class="margin-top-0 font-body-2xs">{t.intro}</p>
      {linkedCase.helpers.length === 0 ? (
        <p class="margin-top-0">{t.none}</p>
      ) : (
        <ul class="usa-list usa-list--unstyled margin-top-0">
          {linkedCase.helpers.map((grant) => (
            <li class="margin-bottom-1" data-helper={grant.invitationId} data-state={grant.state}>
              <strong>{grant.emailHint}</strong>: {t.state[grant.state]}
              {(grant.state === 'INVITED' || grant.state === 'ACTIVE') && (
                <>
                  {' '}
                  ({t.until(formatInstant(language, grant.accessUntil, timeZone))}){' '}
                  <form class="display-inline" method="post" action={href(context, '/my-cases/helpers/revoke')}>
                    <input type="hidden" name="csrf" value={csrfToken} />
                    <input type="hidden" name="invitationId" value={grant.invitationId} />
                    <button class="usa-button usa-button--unstyled" type="submit" aria-label={t.revokeLabel(grant.emailHint)} data-revoke>
                      {t.revoke}
                    </button>
                  </form>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <h4 class="margin-bottom-0">{t.inviteHeading}</h4>
      {form?.refusal && (
        <Alert type="error" heading={t.errorHeading} headingLevel={3} role="alert">
          <span data-invite-refusal>{form.refusal}</span>
        </Alert>
      )}
      <form class="usa-form" method="post" action={href(context, '/my-cases/helpers/invite')} data-invite-form={linkedCase.receiptNumber}>
        <input type="hidden" name="csrf" value={csrfToken} />
        <input type="hidden" name="receiptNumber" value={linkedCase.receiptNumber} />
        <TextField id={id('helper-email')} name="email" type="email" label={t.emailLabel} hint={t.emailHint} error={form?.emailError} value={form?.email} autocomplete="off" spellcheck={false} maxLength={254} />
        <div class="usa-form-group">
          <label class="usa-label" for={id('helper-duration')}>
            {t.durationLabel}
          </label>
          <select class="usa-select" id={id('helper-duration')} name="duration">
            {ACCESS_DURATIONS.map((duration) => (
              <option value={duration} selected={(form?.duration ?? '30d') === duration}>
                {t.durations[duration]}
              </option>
            ))}
          </select>
        </div>
        <TextField id={id('helper-until')} name="until" label={t.untilLabel} hint={t.untilHint} error={form?.untilError} value={form?.until} autocomplete="off" maxLength={10} />
        <button class="usa-button usa-button--outline" type="submit">
          {t.invite}
        </button>
      </form>
    </section>
  );
}

/** The page the invitation e-mail links to: one button that accepts, for the signed-in person. */
export function AcceptInvitationPage({ context, token, csrfToken, refusal }: { context: PageContext; token: string; csrfToken: string; refusal?: string }) {
  const t = HELPERS_MESSAGES[context.language];
  return (
    <Layout context={context} title={refusal ? `${t.acceptRefused}: ${t.acceptTitle}` : t.acceptTitle} section="account">
      <h1 class="margin-top-4">{t.acceptTitle}</h1>
      {refusal ? (
        <Alert type="error" heading={t.acceptRefused} role="alert">
          <span data-accept-refusal>{refusal}</span>
        </Alert>
      ) : (
        <>
          <p>{t.acceptIntro}</p>
          <form class="usa-form" method="post" action={href(context, '/helpers/accept')} data-accept-form>
            <input type="hidden" name="csrf" value={csrfToken} />
            <input type="hidden" name="token" value={token} />
            <button class="usa-button" type="submit">
              {t.acceptButton}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}

/** "Shared with me": the cases the signed-in person may read as a helper, while each grant lasts. */
export function SharedWithMePage({ context, cases, accepted }: { context: PageContext; cases: SharedWithMeQuery['sharedWithMe']; accepted: boolean }) {
  const t = HELPERS_MESSAGES[context.language];
  return (
    <Layout context={context} title={t.sharedTitle} section="account">
      <h1 class="margin-top-4">{t.sharedTitle}</h1>
      {accepted && (
        <Alert type="success" role="status">
          <span data-accepted>{t.accepted}</span>
        </Alert>
      )}
      <p>{t.sharedIntro}</p>
      {cases.length === 0 ? (
        <Alert type="info">
          <span data-nothing-shared>{t.sharedNone}</span>
        </Alert>
      ) : (
        <ul class="usa-card-group" data-shared-with-me>
          {cases.map((shared) => (
            <PrivateCaseCard context={context} shown={shared} heading={t.details} notShownYet={t.notShownYet}>
              <p class="font-body-2xs text-base" data-shared-until>
                {t.sharedUntil(shared.agency, formatInstant(context.language, shared.accessUntil, context.timeZone))}
              </p>
            </PrivateCaseCard>
          ))}
        </ul>
      )}
    </Layout>
  );
}
