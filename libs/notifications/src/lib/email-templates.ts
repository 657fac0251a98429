import type { Language } from '@case-status/case-domain';
import type { CaseStatusChangedV1 } from '@case-status/integration-events';


export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface ConfirmationEmailInput {
  language: Language;
  receiptNumber: string;
  code: string;
  confirmUrl: string;
  expiresInHours: number;
}

export interface StatusEmailInput {
  language: Language;
  change: Pick<CaseStatusChangedV1, 'receiptNumber' | 'statusText' | 'nextStep' | 'occurredAt'>;
  unsubscribeUrl: string;
}

const CONFIRMATION = {
  en: {
    subject: (receipt: string) => `Confirm email updates for case ${receipt}`,
    intro: (receipt: string) => `Someone asked to send updates about case ${receipt} to this email address.`,
    code: 'Your confirmation code is:',
    link: 'Or confirm with this link:',
    expires: (hours: number) => `The code and the link work for ${hours} hours.`,
    ignore: 'If you did not ask for this, ignore this email: you will not get any updates.',
  },
  es: {
    subject: (receipt: string) => `Confirme las notificaciones por correo del caso ${receipt}`,
    intro: (receipt: string) => `Alguien pidió recibir en esta dirección de correo electrónico las novedades del caso ${receipt}.`,
    code: 'Su código de confirmación es:',
    link: 'O confirme con este enlace:',
    expires: (hours: number) => `El código y el enlace son válidos durante ${hours} horas.`,
    ignore: 'Si usted no lo pidió, ignore este mensaje: no recibirá ninguna notificación.',
  },
} as const;

const STATUS = {
  en: {
    subject: (receipt: string) => `Update on case ${receipt}`,
    heading: (receipt: string) => `Case ${receipt} has an update.`,
    next: 'What happens next:',
    unsubscribe: 'To stop these emails, use this link:',
  },
  es: {
    subject: (receipt: string) => `Novedades del caso ${receipt}`,
    heading: (receipt: string) => `Hay novedades en el caso ${receipt}.`,
    next: 'Qué sigue:',
    unsubscribe: 'Para dejar de recibir estos mensajes, use este enlace:',
  },
} as const;

export function renderConfirmationEmail(input: ConfirmationEmailInput): RenderedEmail {
  const t = CONFIRMATION[input.language];
  const text = [
    t.intro(input.receiptNumber),
    '',
    t.code,
    input.code,
    '',
    t.link,
    input.confirmUrl,
    '',
    t.expires(input.expiresInHours),
    t.ignore,
    '',
  ].join('\n');
  const html = page(input.language, [
    p(t.intro(input.receiptNumber)),
    `<p>${escapeHtml(t.code)} <strong>${escapeHtml(input.code)}</strong></p>`,
    `<p>${escapeHtml(t.link)} ${a(input.confirmUrl)}</p>`,
    p(t.expires(input.expiresInHours)),
    p(t.ignore),
  ]);
  return { subject: t.subject(input.receiptNumber), text, html };
}

export function renderStatusEmail(input: StatusEmailInput): RenderedEmail {
  const t = STATUS[input.language];
  const { receiptNumber, statusText, nextStep } = input.change;
  const lang = input.language;
  const text = [t.heading(receiptNumber), '', statusText[lang], '', t.next, nextStep[lang], '', '--', t.unsubscribe, input.unsubscribeUrl, ''].join('\n');
  const html = page(lang, [
    p(t.heading(receiptNumber)),
    p(statusText[lang]),
    `<p><strong>${escapeHtml(t.next)}</strong> ${escapeHtml(nextStep[lang])}</p>`,
    '<hr>',
    `<p><small>${escapeHtml(t.unsubscribe)} ${a(input.unsubscribeUrl)}</small></p>`,
  ]);
  return { subject: t.subject(receiptNumber), text, html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
const a = (url: string) => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
const page = (lang: Language, body: string[]) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body>${body.join('')}</body></html>`;
