/** @jsxRuntime automatic @jsxImportSource preact */
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { isLanguage, type Language } from '@case-status/case-domain';
import { MessagePage } from '../pages/message';
import type { PageContext } from '../pages/page-context';
import { StatusApiProblem, type ApiAnswer } from '../api/status-api.client';

/** Sends a server-rendered page. Pages show live data: browsers revalidate, and token pages are never stored. */
export function sendHtml(reply: FastifyReply, status: number, page: VNode, cache: 'no-cache' | 'no-store' = 'no-cache'): FastifyReply {
  return sendMarkup(reply.code(status).header('cache-control', cache), `<!doctype html>${renderToString(page)}`);
}

/**
 * Brotli quality for pages made per request. On a case page (11 KB of HTML) quality 2 takes
 * about 0.1 ms of CPU where 4 took 0.2 ms, a tenth of all the site spends on the page, for
 * 0.3 KB more over the wire (3.3 KB instead of 3.0 KB).
 */
const PAGE_BROTLI_QUALITY = 2;

/**
 * Sends HTML compressed in one synchronous call: for a page of a few kilobytes that costs a
 * fraction of what a compression stream per response does (streams are for the static files).
 */
export function sendMarkup(reply: FastifyReply, html: string): FastifyReply {
  reply.header('content-type', 'text/html; charset=utf-8').header('vary', 'accept-encoding');
  const encoding = html.length >= 1024 ? acceptedEncoding(reply.request.headers['accept-encoding']) : null;
  if (encoding === 'br') {
    return reply.header('content-encoding', 'br').send(brotliCompressSync(html, { params: { [zlib.BROTLI_PARAM_QUALITY]: PAGE_BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: html.length } }));
  }
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(gzipSync(html, { level: 6 }));
  return reply.send(html);
}

/** Brotli if the client takes it, else gzip, else none (a `q=0` refuses one). */
function acceptedEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    String(header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, ...params]) => !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param)))
      .map(([name]) => name),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

export function pageNotFound(context: PageContext): VNode {
  return <MessagePage context={context} title={context.t.pageNotFound.title} type="info" body={context.t.pageNotFound.body} />;
}

/**
 * A failure of the status API, as the person should read it: too many requests (with when
 * to try again) or a plain "try again later". Never a code or a stack.
 */
export function sendProblemPage(reply: FastifyReply, context: PageContext, error: unknown): FastifyReply {
  const { t } = context;
  if (error instanceof StatusApiProblem && error.code === 'RATE_LIMITED') {
    const retryAfter = error.retryAfterSeconds ?? 60;
    reply.header('retry-after', String(retryAfter));
    return sendHtml(reply, 429, <MessagePage context={context} title={t.serviceError.title} type="warning" body={t.serviceError.tooMany(Math.max(1, Math.ceil(retryAfter / 60)))} />);
  }
  return sendHtml(reply, 503, <MessagePage context={context} title={t.serviceError.title} type="error" body={t.serviceError.body} />);
}

/** The visitor's preferred language of the two, from Accept-Language; English when they name neither. */
export function preferredLanguage(header: string | undefined): Language {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { language: tag.split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry): entry is { language: Language; q: number } => isLanguage(entry.language) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.language ?? 'en';
}

/** Refusals the pages handle themselves are `StatusApiProblem`s with these codes. */
export function isProblem(error: unknown, ...codes: string[]): error is StatusApiProblem {
  return error instanceof StatusApiProblem && codes.includes(error.code);
}

/** The headers of an API answer passed on (a CSV) that the visitor's browser needs. */
export function apiAnswerHeaders(headers: ApiAnswer['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['content-type', 'content-disposition', 'cache-control', 'retry-after']) {
    const value = headers[name];
    if (value !== undefined) kept[name] = String(value);
  }
  return kept;
}
