import { createClient } from 'graphql-ws';
import { CaseStatusChangedDocument, type CaseStatusChangedSubscription, type CaseStatusChangedSubscriptionVariables } from './operations.generated';

/**
 * Listens to `caseStatusChanged` for the case on the page (graphql-ws, straight to the status
 * API) and, when the case moves on, swaps in the server-rendered case details, so the browser
 * never renders a case itself and both languages stay the server's. The change is announced
 * through a polite live region. Changes made while the connection was down are not replayed
 * by the API, so the page checks once after every reconnection.
 */

/** Revisions are decimal strings that may exceed 2^53; compare them without BigInt for older browsers. */
export function isNewer(candidate: string, current: string): boolean {
  return candidate.length !== current.length ? candidate.length > current.length : candidate > current;
}

export function startLiveUpdates(root: HTMLElement): void {
  const { ws, receipt, fragment } = root.dataset;
  if (!ws || !receipt || !fragment) return;
  const announcer = document.getElementById('case-live-announcer');
  let refreshing: Promise<void> | null = null;
  let again = false;

  const details = () => root.querySelector<HTMLElement>('[data-revision]');
  const refresh = (): Promise<void> => {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        const response = await fetch(fragment, { headers: { accept: 'text/html' }, cache: 'no-store' });
        if (!response.ok) return;
        const template = document.createElement('template');
        template.innerHTML = await response.text();
        const fresh = template.content.querySelector<HTMLElement>('[data-revision]');
        const current = details();
        if (!fresh || !current || !isNewer(fresh.dataset.revision ?? '', current.dataset.revision ?? '')) return;
        current.replaceWith(fresh);
        if (announcer && fresh.dataset.announcement) announce(announcer, fresh.dataset.announcement);
      } catch {
        // The next change or reconnection tries again; the page still shows what it had.
      } finally {
        refreshing = null;
        if (again) {
          again = false;
          void refresh();
        }
      }
    })();
    return refreshing;
  };

  let connections = 0;
  const client = createClient({
    url: ws,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    on: {
      connected: () => {
        connections += 1;
        root.querySelector<HTMLElement>('[data-live-note]')?.removeAttribute('hidden');
        if (connections > 1) void refresh();
      },
    },
  });
  const variables: CaseStatusChangedSubscriptionVariables = { receiptNumber: receipt };
  client.subscribe<CaseStatusChangedSubscription>(
    { query: String(CaseStatusChangedDocument), variables },
    {
      next: (message) => {
        const revision = message.data?.caseStatusChanged.revision;
        const shown = details()?.dataset.revision ?? '';
        if (revision && isNewer(revision, shown)) void refresh();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  window.addEventListener('pagehide', () => void client.dispose());
}

function announce(region: HTMLElement, text: string): void {
  // A fresh element each time, so screen readers announce the same words again if needed.
  const alert = document.createElement('div');
  alert.className = 'usa-alert usa-alert--info usa-alert--slim';
  const body = document.createElement('div');
  body.className = 'usa-alert__body';
  const paragraph = document.createElement('p');
  paragraph.className = 'usa-alert__text';
  paragraph.textContent = text;
  body.appendChild(paragraph);
  alert.appendChild(body);
  region.replaceChildren(alert);
}
