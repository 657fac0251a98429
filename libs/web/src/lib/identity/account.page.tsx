/** @jsxRuntime automatic @jsxImportSource preact */
import type { Account } from '@case-status/identity';
import { Layout } from '../pages/layout';
import { href, type PageContext } from '../pages/page-context';
import { IDENTITY_MESSAGES } from './identity-messages';

/** Who is signed in and how sure their provider is of it. */
export function AccountPage({ context, account }: { context: PageContext; account: Account }) {
  const t = IDENTITY_MESSAGES[context.language];
  return (
    <Layout context={context} title={t.account.title} section="account">
      <h1 class="margin-top-4">{t.account.title}</h1>
      <p>{t.account.signedInAs}</p>
      <dl class="usa-summary-box" data-account-details>
        {account.name && (
          <>
            <dt class="text-bold">{t.account.name}</dt>
            <dd class="margin-left-0 margin-bottom-2" data-field="name">
              {account.name}
            </dd>
          </>
        )}
        {account.email && (
          <>
            <dt class="text-bold">{t.account.email}</dt>
            <dd class="margin-left-0 margin-bottom-2" data-field="email">
              {account.email}
            </dd>
          </>
        )}
        <dt class="text-bold">{t.account.assurance}</dt>
        <dd class="margin-left-0 margin-bottom-2" data-assurance={account.assuranceLevel}>
          {t.account.level(account.assuranceLevel)}
        </dd>
        {account.roles.length > 0 && account.agency && (
          <>
            <dt class="text-bold">{t.account.staff}</dt>
            <dd class="margin-left-0" data-field="staff">
              {t.account.staffOf(account.roles.join(', '), account.agency)}
            </dd>
          </>
        )}
      </dl>
      <p class="margin-top-4">
        <a class="usa-button" href={href(context, '/my-cases')}>
          {t.account.myCases}
        </a>
        <a class="usa-button usa-button--outline" href={href(context, '/my-clients')}>
          {t.account.myClients}
        </a>
        <a class="usa-button usa-button--outline" href={href(context, '/shared-with-me')} data-shared-with-me-link>
          {t.account.sharedWithMe}
        </a>
      </p>
    </Layout>
  );
}
