/** @jsxRuntime automatic @jsxImportSource preact */
import type { Account } from '@case-status/identity';
import type { ConsoleDeliveriesQuery, DeliveryChannel, DeliveryStatus } from '../api/operations.generated';
import { formatInstant } from '../i18n/format';
import { Alert } from '../pages/components';
import type { PageContext } from '../pages/page-context';
import { DataTable } from './bar-chart';
import type { ConsoleTable } from './console-table';
import { CodeChoice, ConsoleLayout, Pager, queryOf } from './console.pages';

type Deliveries = NonNullable<ConsoleDeliveriesQuery['deliveryLog']>;
type Webhooks = NonNullable<ConsoleDeliveriesQuery['agencyWebhooks']>;
type Actions = NonNullable<ConsoleDeliveriesQuery['deliveryActions']>;

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['PENDING', 'SENDING', 'DELIVERED', 'DEAD_LETTER_PENDING', 'DEAD_LETTERED', 'CANCELED'];
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['EMAIL', 'WEBHOOK'];

/** What the delivery log is narrowed to. */
export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: DeliveryChannel;
}

/** The actions the page's forms post, and what the page says once one is done. */
export const DELIVERY_ACTIONS = {
  redrive: (count: number) => (count === 0 ? 'Nothing was re-driven: the delivery is no longer dead-lettered.' : 'The dead letter is back in the queue.'),
  'redrive-endpoint': (count: number) => (count === 0 ? 'Nothing was re-driven: the endpoint has no dead letters now.' : `${count} dead letters are back in the queue.`),
  pause: () => 'The endpoint is paused: its deliveries wait in the queue, in order.',
  resume: () => 'The endpoint is resumed: its waiting deliveries go out, oldest first.',
} as const;
export type DeliveryActionName = keyof typeof DELIVERY_ACTIONS;

export function deliveriesTable(deliveries: Deliveries): ConsoleTable {
  return {
    caption: 'Deliveries of the agency, newest first',
    columns: ['Queued', 'Receipt number', 'Channel', 'For event', 'Status sent', 'Outcome', 'Attempts', 'Delivered', 'Dead-lettered', 'Last error', 'Delivery id'],
    rows: deliveries.nodes.map((d) => [d.createdAt, d.receiptNumber, d.channel, d.eventType, d.statusCode, d.status, d.attempts, d.deliveredAt ?? '', d.deadLetteredAt ?? '', d.lastError ?? '', d.id]),
  };
}

export function webhooksTable(webhooks: Webhooks): ConsoleTable {
  return {
    caption: 'Webhook endpoints of the agency',
    columns: ['URL', 'Cases', 'Description', 'Registered by', 'Registered', 'Paused since', 'Dead letters', 'Endpoint id'],
    rows: webhooks.map((w) => [w.url, w.receiptNumber ?? 'Every case', w.description ?? '', w.owner, w.createdAt, w.pausedAt ?? '', w.deadLettered, w.id]),
  };
}

const ACTION_NAMES: Record<Actions[number]['action'], string> = { REDRIVE: 'Re-drive', PAUSE: 'Pause', RESUME: 'Resume' };

export function deliveryActionsTable(actions: Actions): ConsoleTable {
  return {
    caption: 'Re-drives, pauses and resumes, newest first',
    columns: ['When', 'Who', 'Action', 'Endpoint id', 'Deliveries re-driven'],
    rows: actions.map((a) => [a.at, a.actor, ACTION_NAMES[a.action], a.endpointId ?? '', a.deliveryIds.length]),
  };
}

/** A button that posts one action with the session's CSRF token: works without JavaScript. */
function ActionForm({ csrfToken, action, id, label, secondary }: { csrfToken: string; action: DeliveryActionName; id: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action="/en/console/deliveries" class="display-inline-block margin-left-1" data-action={action}>
      <input type="hidden" name="csrf" value={csrfToken} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" class={`usa-button usa-button--small${secondary ? ' usa-button--outline' : ''} margin-top-0`}>
        {label}
      </button>
    </form>
  );
}

const TIMES = { deliveries: [0, 7, 8], webhooks: [4, 5], actions: [0] } as const;

export function DeliveriesPage(props: {
  context: PageContext;
  account: Account;
  csrfToken: string;
  filter: DeliveryFilter;
  after: string | undefined;
  deliveries: Deliveries;
  webhooks: Webhooks;
  actions: Actions;
  done: string | undefined;
}) {
  const { context, account, csrfToken, filter, after, deliveries, webhooks, actions, done } = props;
  const when = (value: string | number) => (value === '' ? '—' : formatInstant('en', String(value), context.timeZone));
  const query = queryOf({ status: filter.status, channel: filter.channel });
  return (
    <ConsoleLayout context={context} account={account} title="Deliveries" current="deliveries">
      {done && (
        <Alert type="success" role="status">
          <span data-done>{done}</span>
        </Alert>
      )}
      <section aria-labelledby="webhooks-heading" class="margin-top-2">
        <h2 id="webhooks-heading">Webhook endpoints</h2>
        {webhooks.length === 0 ? (
          <p data-empty>The agency has no webhook endpoint.</p>
        ) : (
          <DataTable
            id="webhooks"
            table={webhooksTable(webhooks)}
            csvHref="/en/console/webhooks.csv"
            cell={(value, column, r) => {
              const webhook = webhooks[r];
              if (column === 5)
                return webhook.pausedAt ? (
                  <>
                    Paused since {when(webhook.pausedAt)}
                    <ActionForm csrfToken={csrfToken} action="resume" id={webhook.id} label="Resume" />
                  </>
                ) : (
                  <>
                    Delivering
                    <ActionForm csrfToken={csrfToken} action="pause" id={webhook.id} label="Pause" secondary />
                  </>
                );
              if (column === 6 && webhook.deadLettered > 0)
                return (
                  <>
                    {webhook.deadLettered}
                    <ActionForm csrfToken={csrfToken} action="redrive-endpoint" id={webhook.id} label={`Re-drive all ${webhook.deadLettered}`} />
                  </>
                );
              return (TIMES.webhooks as readonly number[]).includes(column) ? when(value) : value;
            }}
          />
        )}
      </section>

      <section aria-labelledby="log-heading" class="margin-top-4">
        <h2 id="log-heading">Delivery log</h2>
        <form class="usa-form usa-form--large margin-bottom-2" method="get" action="/en/console/deliveries" data-filter>
          <div class="grid-row grid-gap">
            <div class="tablet:grid-col-6">
              <CodeChoice id="filter-outcome" name="status" label="Outcome" any="Any outcome" codes={DELIVERY_STATUSES} chosen={filter.status} />
            </div>
            <div class="tablet:grid-col-6">
              <CodeChoice id="filter-channel" name="channel" label="Channel" any="Email and webhooks" codes={DELIVERY_CHANNELS} chosen={filter.channel} />
            </div>
          </div>
          <button type="submit" class="usa-button margin-top-2">
            Show
          </button>
        </form>
        {deliveries.nodes.length === 0 ? (
          <p data-empty>No delivery matches.</p>
        ) : (
          <DataTable
            id="deliveries"
            table={deliveriesTable(deliveries)}
            csvHref={`/en/console/deliveries.csv${queryOf({ status: filter.status, channel: filter.channel, after })}`}
            cell={(value, column, r) => {
              const delivery = deliveries.nodes[r];
              if (column === 1) return <a href={`/en/console/case${queryOf({ receiptNumber: String(value) })}`}>{value}</a>;
              if (column === 5 && delivery.status === 'DEAD_LETTERED')
                return (
                  <>
                    {value}
                    <ActionForm csrfToken={csrfToken} action="redrive" id={delivery.id} label="Re-drive" />
                  </>
                );
              return (TIMES.deliveries as readonly number[]).includes(column) ? when(value) : value;
            }}
          />
        )}
        <Pager
          label="Pages of deliveries"
          firstHref={after !== undefined ? `/en/console/deliveries${query}` : undefined}
          nextHref={deliveries.pageInfo.hasNextPage && deliveries.pageInfo.endCursor ? `/en/console/deliveries${queryOf({ status: filter.status, channel: filter.channel, after: deliveries.pageInfo.endCursor })}` : undefined}
        />
      </section>

      <section aria-labelledby="actions-heading" class="margin-top-4">
        <h2 id="actions-heading">Recent actions</h2>
        {actions.length === 0 ? (
          <p data-empty>No one has re-driven, paused or resumed anything yet.</p>
        ) : (
          <DataTable id="delivery-actions" table={deliveryActionsTable(actions)} csvHref="/en/console/delivery-actions.csv" cell={(value, column) => ((TIMES.actions as readonly number[]).includes(column) ? when(value) : value)} />
        )}
      </section>
    </ConsoleLayout>
  );
}
