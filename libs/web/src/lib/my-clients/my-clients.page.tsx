/** @jsxRuntime automatic @jsxImportSource preact */
import type { MyClientsQuery } from '../api/operations.generated';
import { formatCalendarDate } from '../i18n/format';
import { MY_CASES_MESSAGES } from '../my-cases/my-cases-messages';
import { PrivateCaseCard } from '../my-cases/my-cases.page';
import { Alert } from '../pages/components';
import { Layout } from '../pages/layout';
import type { PageContext } from '../pages/page-context';
import { MY_CLIENTS_MESSAGES } from './my-clients-messages';

type ClientCase = MyClientsQuery['myClients'][number];

/** Every case the signed-in representative is of record on, with its private details. */
export function MyClientsPage({ context, cases }: { context: PageContext; cases: readonly ClientCase[] }) {
  const t = MY_CLIENTS_MESSAGES[context.language];
  return (
    <Layout context={context} title={t.title} section="account">
      <h1 class="margin-top-4">{t.title}</h1>
      <p>{t.intro}</p>
      {cases.length === 0 ? (
        <Alert type="info">
          <span data-no-clients>{t.none}</span>
        </Alert>
      ) : (
        <ul class="usa-card-group" data-my-clients>
          {cases.map((clientCase) => (
            <ClientCaseCard context={context} clientCase={clientCase} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

function ClientCaseCard({ context, clientCase }: { context: PageContext; clientCase: ClientCase }) {
  const t = MY_CLIENTS_MESSAGES[context.language];
  return (
    <PrivateCaseCard context={context} shown={clientCase} heading={t.details} notShownYet={t.notShownYet}>
      <p class="font-body-2xs text-base" data-of-record>
        {MY_CASES_MESSAGES[context.language].agency}: {clientCase.agency} · {t.ofRecordAs[clientCase.representativeKind]}{' '}
        <time dateTime={clientCase.ofRecordSince}>{t.since(formatCalendarDate(context.language, clientCase.ofRecordSince))}</time>
      </p>
    </PrivateCaseCard>
  );
}
