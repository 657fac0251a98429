/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { LinkedCaseShownFragment, PrivateViewDetailsFragment, PrivateViewStatusFragment } from '../api/operations.generated';
import { formatCalendarDate, formatInstant } from '../i18n/format';
import { Alert, TextField } from '../pages/components';
import { Layout } from '../pages/layout';
import { href, type PageContext } from '../pages/page-context';
import { HelpersSection, type InviteFormState } from '../helpers/helpers.page';
import { HELPERS_MESSAGES } from '../helpers/helpers-messages';
import { MY_CASES_MESSAGES } from './my-cases-messages';

/** What the link form shows again after a refusal: the receipt number typed (never the code) and what is wrong. */
export interface LinkFormState {
  receiptNumber?: string;
  receiptError?: string;
  codeError?: string;
  /** A refusal of the whole attempt (not matched, too many). */
  refusal?: string;
}

/** Every case linked to the person, with its private details, and the form that links another. */
export function MyCasesPage({
  context,
  cases,
  csrfToken,
  form = {},
  linked,
  invite,
  helpersNotice,
  unlinked,
}: {
  context: PageContext;
  cases: readonly LinkedCaseShownFragment[];
  csrfToken: string;
  form?: LinkFormState;
  linked?: string;
  /** The invite form of one case, shown again after a refusal. */
  invite?: InviteFormState;
  /** After an invitation was sent or a grant revoked (post, redirect, get). */
  helpersNotice?: 'invited' | 'revoked';
  unlinked?: string;
}) {
  const t = MY_CASES_MESSAGES[context.language];
  const failed = Boolean(form.receiptError || form.codeError || form.refusal || invite);
  return (
    <Layout context={context} title={failed ? `${t.errorHeading}: ${t.title}` : t.title} section="account">
      <h1 class="margin-top-4">{t.title}</h1>
      {linked && (
        <Alert type="success" role="status">
          <span data-linked>{t.linked(linked)}</span>
        </Alert>
      )}
      {helpersNotice && (
        <Alert type="success" role="status">
          <span data-helpers-notice>{HELPERS_MESSAGES[context.language][helpersNotice]}</span>
        </Alert>
      )}
      {unlinked && (
        <Alert type="success" role="status">
          <span data-unlinked>{t.unlinked(unlinked)}</span>
        </Alert>
      )}
      <p>{t.intro}</p>
      {linked && !cases.some((shown) => shown.receiptNumber === linked) && (
        <Alert type="info">
          <span data-not-shown-yet>{t.notShownYet}</span>
        </Alert>
      )}
      {cases.length === 0 ? (
        <Alert type="info">
          <span data-no-cases>{t.none}</span>
        </Alert>
      ) : (
        <ul class="usa-card-group" data-my-cases>
          {cases.map((linkedCase) => (
            <LinkedCaseCard context={context} linkedCase={linkedCase} csrfToken={csrfToken} invite={invite?.receiptNumber === linkedCase.receiptNumber ? invite : undefined} />
          ))}
        </ul>
      )}
      <LinkForm context={context} csrfToken={csrfToken} form={form} />
    </Layout>
  );
}

function LinkedCaseCard({ context, linkedCase, csrfToken, invite }: { context: PageContext; linkedCase: LinkedCaseShownFragment; csrfToken: string; invite?: InviteFormState }) {
  const t = MY_CASES_MESSAGES[context.language];
  const { language, timeZone } = context;
  return (
    <PrivateCaseCard context={context} shown={linkedCase} heading={t.details} notShownYet={t.notShownYet}>
      {linkedCase.status?.decision && (
        <p>
          <a class="usa-link" href={href(context, `/case/${encodeURIComponent(linkedCase.receiptNumber)}/feedback`)} data-survey>
            {t.survey}
          </a>
        </p>
      )}
      <p class="font-body-2xs text-base">
        {t.agency}: {linkedCase.agency} · {t.linkedOn}: <time dateTime={linkedCase.linkedAt}>{formatInstant(language, linkedCase.linkedAt, timeZone)}</time>
      </p>
      <h3 class="margin-bottom-1">{t.accessHeading}</h3>
      <p class="margin-top-0 font-body-2xs">{t.accessIntro}</p>
      {linkedCase.accessLog.length === 0 ? (
        <p class="margin-top-0">{t.noAccess}</p>
      ) : (
        <ul class="margin-top-0" data-access-log>
          {linkedCase.accessLog.map((read) => (
            <li data-grant={read.grant}>
              <time dateTime={read.at}>{formatInstant(language, read.at, timeZone)}</time>: {t.reader(read)} ({read.fields.map((field) => t.fieldNames[field] ?? field).join(', ')})
            </li>
          ))}
        </ul>
      )}
      <HelpersSection context={context} linkedCase={linkedCase} csrfToken={csrfToken} form={invite} />
      <form class="usa-form margin-top-2" method="post" action={href(context, '/my-cases/unlink')} data-unlink-form>
        <input type="hidden" name="csrf" value={csrfToken} />
        <input type="hidden" name="receiptNumber" value={linkedCase.receiptNumber} />
        <p class="usa-hint margin-bottom-1">{t.unlinkHint}</p>
        <button class="usa-button usa-button--secondary" type="submit">
          {t.unlink}
        </button>
      </form>
    </PrivateCaseCard>
  );
}

/**
 * One case with its private view, as My cases and My clients list them: the receipt number
 * and form, the private view, what the page says of the person's tie to the case (`children`),
 * and a link to the public page.
 */
export function PrivateCaseCard({
  context,
  shown,
  heading,
  notShownYet,
  children,
}: {
  context: PageContext;
  shown: { receiptNumber: string; status: PrivateViewStatusFragment | null; privateDetails: PrivateViewDetailsFragment | null };
  heading: string;
  notShownYet: string;
  children: ComponentChildren;
}) {
  const t = MY_CASES_MESSAGES[context.language];
  const { receiptNumber, status, privateDetails } = shown;
  return (
    <li class="usa-card tablet:grid-col-12" data-case={receiptNumber}>
      <div class="usa-card__container">
        <div class="usa-card__header">
          <h2 class="usa-card__heading">
            {receiptNumber}
            {status && ` · ${status.formType}`}
          </h2>
        </div>
        <div class="usa-card__body">
          <PrivateView context={context} status={status} privateDetails={privateDetails} heading={heading} notShownYet={notShownYet} />
          {children}
        </div>
        <div class="usa-card__footer">
          <a class="usa-link" href={href(context, `/case/${encodeURIComponent(receiptNumber)}`)}>
            {t.viewPublic}
          </a>
        </div>
      </div>
    </li>
  );
}

/** A case's private view: the status, appointments and evidence requests. */
function PrivateView({
  context,
  status,
  privateDetails,
  heading,
  notShownYet,
}: {
  context: PageContext;
  status: PrivateViewStatusFragment | null;
  privateDetails: PrivateViewDetailsFragment | null;
  /** Whose details they are, e.g. "Your private details". */
  heading: string;
  /** What shows while the case is not in the read models yet. */
  notShownYet: string;
}) {
  const t = MY_CASES_MESSAGES[context.language];
  const { language, timeZone } = context;
  return (
    <>
      {!status || !privateDetails ? (
        <p>{notShownYet}</p>
      ) : (
        <>
          <p class="text-bold margin-bottom-1">{t.status}</p>
          <p class="margin-top-0" data-private-status>
            {privateDetails.statusText[language]}
          </p>
          <p class="margin-top-0">{status.nextStep[language]}</p>
          <h3 class="margin-bottom-1">{heading}</h3>
          <p class="text-bold margin-bottom-1">{t.appointments}</p>
          {privateDetails.upcomingAppointments.length === 0 ? (
            <p class="margin-top-0">{t.noAppointments}</p>
          ) : (
            <ul class="margin-top-0" data-appointments>
              {privateDetails.upcomingAppointments.map((appointment) => (
                <li>
                  {t.appointmentKind[appointment.kind]}: <time dateTime={appointment.scheduledFor}>{formatInstant(language, appointment.scheduledFor, timeZone)}</time>, {t.at}{' '}
                  {appointment.office}
                </li>
              ))}
            </ul>
          )}
          <p class="text-bold margin-bottom-1">{t.evidence}</p>
          {privateDetails.openEvidenceRequests.length === 0 ? (
            <p class="margin-top-0">{t.noEvidence}</p>
          ) : (
            <ul class="margin-top-0" data-evidence>
              {privateDetails.openEvidenceRequests.map((request) => (
                <li>{t.evidenceDue(request.requestId, formatCalendarDate(language, request.dueDate))}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function LinkForm({ context, csrfToken, form }: { context: PageContext; csrfToken: string; form: LinkFormState }) {
  const t = MY_CASES_MESSAGES[context.language];
  return (
    <section class="margin-top-4" aria-labelledby="link-case-heading">
      <h2 id="link-case-heading">{t.linkHeading}</h2>
      <p>{t.linkIntro}</p>
      {form.refusal && (
        <Alert type="error" heading={t.errorHeading} role="alert">
          <span data-link-refusal>{form.refusal}</span>
        </Alert>
      )}
      <form class="usa-form" method="post" action={href(context, '/my-cases/link')} data-link-form>
        <input type="hidden" name="csrf" value={csrfToken} />
        <TextField id="receipt-number" name="receiptNumber" label={t.receiptLabel} hint={t.receiptHint} error={form.receiptError} value={form.receiptNumber} autocomplete="off" spellcheck={false} autocapitalize="characters" maxLength={40} />
        <TextField id="access-code" name="accessCode" label={t.codeLabel} hint={t.codeHint} error={form.codeError} autocomplete="off" spellcheck={false} autocapitalize="characters" maxLength={40} />
        <button class="usa-button" type="submit">
          {t.submit}
        </button>
      </form>
    </section>
  );
}
