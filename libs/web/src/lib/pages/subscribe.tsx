/** @jsxRuntime automatic @jsxImportSource preact */
import type { Language } from '@case-status/case-domain';
import { Alert, TextField } from './components';
import { Layout } from './layout';
import { href, type PageContext } from './page-context';

export interface SubscribeFormState {
  email?: string;
  emailLanguage?: Language;
  emailError?: string;
  /** A refusal of the whole request (rate limit, service down), shown above the form. */
  problem?: string;
}

/** Ask for email updates about one case (double opt-in: the API emails a code and a link). */
export function SubscribePage({ context, receiptNumber, state }: { context: PageContext; receiptNumber: string; state: SubscribeFormState }) {
  const { t } = context;
  const emailLanguage = state.emailLanguage ?? context.language;
  const action = href(context, `/case/${encodeURIComponent(receiptNumber)}/updates`);
  return (
    <Layout context={context} title={state.emailError ? `${t.subscribe.errorHeading}: ${t.subscribe.title}` : t.subscribe.title} section="case">
      <div class="usa-prose margin-top-4">
        <h1>{t.subscribe.title}</h1>
        <p>{t.subscribe.intro(receiptNumber)}</p>
      </div>
      {state.problem && (
        <Alert type="error" role="alert">
          {state.problem}
        </Alert>
      )}
      <form class="usa-form usa-form--large" method="post" action={action} novalidate>
        <TextField id="email" name="email" type="email" label={t.subscribe.emailLabel} hint={t.subscribe.emailHint} error={state.emailError} value={state.email} autocomplete="email" spellcheck={false} autocapitalize="off" maxLength={254} />
        <fieldset class="usa-fieldset margin-top-3">
          <legend class="usa-legend">{t.subscribe.languageLegend}</legend>
          {(['en', 'es'] as const).map((language) => (
            <div class="usa-radio" key={language}>
              <input class="usa-radio__input" id={`email-language-${language}`} type="radio" name="language" value={language} checked={emailLanguage === language} />
              <label class="usa-radio__label" for={`email-language-${language}`} lang={language}>
                {language === 'en' ? 'English' : 'Español'}
              </label>
            </div>
          ))}
        </fieldset>
        <button class="usa-button margin-top-3" type="submit">
          {t.subscribe.submit}
        </button>
      </form>
      <p class="margin-top-4">
        <a class="usa-link" href={href(context, `/case/${encodeURIComponent(receiptNumber)}`)}>
          {t.subscribe.backToCase}
        </a>
      </p>
    </Layout>
  );
}

/** After subscribing: the code arrives by email; typing it here confirms, as the link does. */
export function CheckEmailPage({ context, receiptNumber, email, codeError, code }: { context: PageContext; receiptNumber: string; email: string; codeError?: string; code?: string }) {
  const { t } = context;
  return (
    <Layout context={context} title={codeError ? `${t.subscribe.errorHeading}: ${t.subscribe.checkEmailTitle}` : t.subscribe.checkEmailTitle} section="case">
      <h1 class="margin-top-4">{t.subscribe.checkEmailTitle}</h1>
      <Alert type="success" role="status">
        {t.subscribe.checkEmailBody}
      </Alert>
      <form class="usa-form" method="post" action={href(context, `/case/${encodeURIComponent(receiptNumber)}/updates/confirm-code`)} novalidate>
        <input type="hidden" name="email" value={email} />
        <TextField id="code" name="code" label={t.subscribe.codeLabel} hint={t.subscribe.codeHint} error={codeError} value={code} autocomplete="one-time-code" inputMode="numeric" maxLength={6} width="md" />
        <button class="usa-button" type="submit">
          {t.subscribe.codeSubmit}
        </button>
      </form>
    </Layout>
  );
}
