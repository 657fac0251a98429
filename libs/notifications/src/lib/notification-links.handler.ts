import type { IncomingMessage, ServerResponse } from 'node:http';
import { applySecurityHeaders } from '@case-status/http-support';
import { escapeHtml } from './email-templates';
import { NotificationError } from './errors';
import type { Logger } from '@case-status/logging';
import type { SubscriptionService } from './subscription.service';

type Action = 'confirm' | 'unsubscribe';

const TEXT: Record<Action, { title: string; button: string; done: string; already: string }> = {
  confirm: {
    title: 'Confirm email updates / Confirme las notificaciones',
    button: 'Confirm / Confirmar',
    done: 'Thank you: you will get an email when this case changes. / Gracias: recibirá un correo cuando este caso cambie.',
    already: 'This subscription was already confirmed. / Esta suscripción ya estaba confirmada.',
  },
  unsubscribe: {
    title: 'Stop email updates / Dejar de recibir notificaciones',
    button: 'Unsubscribe / Cancelar suscripción',
    done: 'You will not get more emails about this case; your address was deleted. / No recibirá más correos sobre este caso; su dirección fue eliminada.',
    already: 'This subscription had already ended. / Esta suscripción ya había terminado.',
  },
};

/**
 * Serves the confirm and unsubscribe links from the emails under `/notifications/`.
 * GET only shows a button and POST does the work: mail scanners that open every link must
 * not confirm or end subscriptions by themselves. POST to the unsubscribe link is also what
 * RFC 8058 one-click unsubscribe sends (body `List-Unsubscribe=One-Click`).
 * Answers 404 for every other path, so it can be mounted as a whole server.
 */
export function createNotificationLinksHandler(service: SubscriptionService, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    applySecurityHeaders(req, res, 'page');
    handle(service, req, res).catch((error: unknown) => {
      logger.error(`notification link failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, page('Error / Error', 'Something went wrong; please try again later. / Algo salió mal; inténtelo más tarde.'));
      else res.end();
    });
  };
}

async function handle(service: SubscriptionService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://links.invalid');
  const match = /^\/notifications\/(confirm|unsubscribe)$/.exec(url.pathname);
  if (!match) return send(res, 404, page('Not found / No encontrado', 'There is nothing at this address. / No hay nada en esta dirección.'));
  const action = match[1] as Action;
  const token = url.searchParams.get('token') ?? '';
  const text = TEXT[action];
  if (req.method === 'GET' || req.method === 'HEAD') {
    const form = `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(text.button)}</button></form>`;
    return send(res, 200, page(text.title, '', form));
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'GET, HEAD, POST');
    return send(res, 405, page('Method not allowed', 'Use GET or POST.'));
  }
  await drain(req);
  try {
    const result = action === 'confirm' ? await service.confirm(token) : await service.unsubscribe(token);
    const now = 'confirmedNow' in result ? result.confirmedNow : result.unsubscribedNow;
    return send(res, 200, page(text.title, now ? text.done : text.already));
  } catch (error) {
    if (!(error instanceof NotificationError)) throw error;
    const status = error.code === 'INVALID_TOKEN' ? 404 : error.code === 'TOKEN_EXPIRED' ? 410 : 400;
    return send(res, status, page(text.title, error.message));
  }
}

/** The one-click body is tiny; anything past 4 KiB is not read. */
async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) break;
  }
}

function send(res: ServerResponse, status: number, html: string): void {
  // The URL carries the link's token; the shared headers also keep it from the Referer.
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

const page = (title: string, message: string, extra = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${message ? `<p>${escapeHtml(message)}</p>` : ''}${extra}</body></html>`;
