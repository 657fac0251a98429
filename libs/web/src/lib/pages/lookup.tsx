/** @jsxRuntime automatic @jsxImportSource preact */
import { Alert, TextField } from './components';
import { Layout } from './layout';
import { href, type PageContext } from './page-context';

/** The receipt-number form; a GET, so a result can be bookmarked and works without JavaScript. */
function LookupForm({ context, value, error }: { context: PageContext; value?: string; error?: string }) {
  const { t } = context;
  return (
    <form class="usa-form usa-form--large" method="get" action={href(context, '/case')} novalidate>
      <TextField
        id="receipt-number"
        name="receiptNumber"
        label={t.lookup.label}
        hint={t.lookup.hint}
        error={error}
        value={value}
        autocomplete="off"
        spellcheck={false}
        autocapitalize="characters"
        maxLength={40}
        width="lg"
      />
      <button class="usa-button" type="submit">
        {t.lookup.submit}
      </button>
    </form>
  );
}

export function LookupPage({ context, value, error }: { context: PageContext; value?: string; error?: string }) {
  const { t } = context;
  return (
    <Layout context={context} title={error ? `${t.lookup.errorHeading}: ${t.lookup.title}` : t.lookup.title} section="case">
      <div class="usa-prose margin-top-4">
        <h1>{t.lookup.title}</h1>
        <p class="usa-intro">{t.lookup.intro}</p>
      </div>
      <LookupForm context={context} value={value} error={error} />
    </Layout>
  );
}

export function CaseNotFoundPage({ context, receiptNumber }: { context: PageContext; receiptNumber: string }) {
  const { t } = context;
  return (
    <Layout context={context} title={t.notFound.title} section="case">
      <h1 class="margin-top-4">{t.notFound.title}</h1>
      <Alert type="warning">{t.notFound.body(receiptNumber)}</Alert>
      <LookupForm context={context} value={receiptNumber} />
    </Layout>
  );
}
