import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AGENCIES, findAgency, validateReceiptNumber } from '@case-status/case-domain';
import { normalizeEmailAddress, redactEmailAddresses } from './email-address';
import type { EmailSender } from './email.channel';
import { LANGUAGES, renderConfirmationEmail, type Language } from './email-templates';
import { NotificationError } from './errors';
import { hashSecret, newConfirmationCode, newLinkToken, sameHash } from './tokens';
import { newWebhookSecret, validateWebhookUrl, type WebhookUrlPolicy } from './webhook-signing';
import { assertSchemaName, quoteIdent } from './sql';
import type { NotifierLogger } from './logger';

export interface SubscribeToCaseInput {
  /** Agency code; may be left out when the receipt number's format belongs to one agency only. */
  agency?: string;
  receiptNumber: string;
  email: string;
  language: string;
}

export interface SubscribeResult {
  subscriptionId: string;
  /**
   * `confirmation_sent`: a new or still unconfirmed subscription; a (new) code and link were
   * emailed. `already_active`: this address already gets updates for this case; nothing sent.
   */
  status: 'confirmation_sent' | 'already_active';
}

export interface ConfirmResult {
  subscriptionId: string;
  agency: string;
  receiptNumber: string;
  language: Language;
  /** True when this call did the confirming (false: it was confirmed before). */
  confirmedNow: boolean;
}

export interface UnsubscribeResult {
  subscriptionId: string;
  agency: string;
  receiptNumber: string;
  /** True when this call ended the subscription (false: it had ended before). */
  unsubscribedNow: boolean;
}

export interface RegisterWebhookInput {
  agency: string;
  /** Only this case; leave out for every case of the agency. */
  receiptNumber?: string | null;
  url: string;
  /** Who registered it (token subject or representative id): only they may list or remove it. */
  owner: string;
  description?: string;
}

export interface WebhookEndpointView {
  id: string;
  agency: string;
  receiptNumber: string | null;
  url: string;
  description: string | null;
  createdAt: Date;
}

export interface RegisteredWebhook extends WebhookEndpointView {
  /** Standard Webhooks signing secret (`whsec_...`). Shown this once; keep it safe. */
  secret: string;
}

export interface SubscriptionServiceOptions {
  pool: Pool;
  schema?: string;
  email: EmailSender;
  /** Base of the confirm and unsubscribe links, e.g. https://status.example.gov */
  publicBaseUrl: PublicBaseUrl;
  webhookUrlPolicy: WebhookUrlPolicy;
  /** How long a confirmation code and link work. Default 48 hours. */
  confirmationTtlHours?: number;
  /** Wrong codes allowed per subscription before it must be requested again. Default 5. */
  maxCodeAttempts?: number;
  logger: NotifierLogger;
}

interface SubscriptionRow {
  id: string;
  agency: string;
  receipt_number: string;
  language: Language;
  status: 'pending' | 'active' | 'unsubscribed';
  confirm_code_hash: Buffer | null;
  confirm_attempts: number;
  expired: boolean;
}

/**
 * Who gets told about which case: email subscriptions with double opt-in and one-click
 * unsubscribe, and signed webhook endpoints. The public API (GraphQL) calls these methods;
 * each refusal is a NotificationError with a code.
 */
export class SubscriptionService {
  private readonly s: string;
  private readonly ttlHours: number;
  private readonly maxCodeAttempts: number;

  constructor(private readonly options: SubscriptionServiceOptions) {
    const schema = options.schema ?? 'notifications';
    assertSchemaName(schema);
    this.s = quoteIdent(schema);
    this.ttlHours = options.confirmationTtlHours ?? 48;
    this.maxCodeAttempts = options.maxCodeAttempts ?? 5;
    if (typeof options.publicBaseUrl === 'string' && !URL.canParse(options.publicBaseUrl)) throw new TypeError(`publicBaseUrl is not an absolute URL: "${options.publicBaseUrl}"`);
  }

  /**
   * Starts (or restarts) an email subscription and emails a confirmation code and link.
   * Nothing about the case is sent before confirmation. The same address subscribing again
   * to the same case is the same subscription.
   */
  async subscribe(input: SubscribeToCaseInput): Promise<SubscribeResult> {
    const { agency, receiptNumber } = resolveCase(input.agency, input.receiptNumber);
    const email = normalizeEmailAddress(input.email);
    const language = parseLanguage(input.language);
    const token = newLinkToken();
    const code = newConfirmationCode();
    const id = randomUUID();
    const { rows } = await this.options.pool.query<{ id: string; status: string }>(
      `INSERT INTO ${this.s}.email_subscriptions AS t
         (id, agency, receipt_number, email, language, status, confirm_token_hash, confirm_code_hash, confirm_expires_at, unsubscribe_token)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, now() + make_interval(hours => $8), $9)
       ON CONFLICT (agency, receipt_number, lower(email)) WHERE email IS NOT NULL
       DO UPDATE SET confirm_token_hash = EXCLUDED.confirm_token_hash, confirm_code_hash = EXCLUDED.confirm_code_hash,
                     confirm_attempts = 0, confirm_expires_at = EXCLUDED.confirm_expires_at, language = EXCLUDED.language
         WHERE t.status = 'pending'
       RETURNING id, status`,
      [id, agency, receiptNumber, email, language, hashSecret(token), hashSecret(code), this.ttlHours, newLinkToken()],
    );
    if (rows.length === 0) {
      const existing = await this.options.pool.query<{ id: string }>(
        `SELECT id FROM ${this.s}.email_subscriptions WHERE agency = $1 AND receipt_number = $2 AND lower(email) = lower($3)`,
        [agency, receiptNumber, email],
      );
      if (existing.rows.length === 0) return this.subscribe(input); // unsubscribed in between: start afresh
      return { subscriptionId: existing.rows[0].id, status: 'already_active' };
    }
    const subscriptionId = rows[0].id;
    const rendered = renderConfirmationEmail({
      language,
      receiptNumber,
      code,
      confirmUrl: this.link('confirm', token),
      expiresInHours: this.ttlHours,
    });
    try {
      await this.options.email.send({ to: email, ...rendered, messageId: `<confirm-${subscriptionId}-${Date.now()}@case-status>` });
    } catch (error) {
      this.options.logger.warn(`confirmation email for subscription ${subscriptionId} not sent: ${redactEmailAddresses((error as Error).message)}`);
      throw new NotificationError('CONFIRMATION_NOT_SENT', 'The confirmation email could not be sent right now; please try again later.');
    }
    this.options.logger.log(`subscription ${subscriptionId} to ${agency} ${receiptNumber} awaits confirmation`);
    return { subscriptionId, status: 'confirmation_sent' };
  }

  /** Confirms with the token from the emailed link. Confirming twice answers the same. */
  async confirm(token: string): Promise<ConfirmResult> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw invalidToken();
    const { rows } = await this.options.pool.query<SubscriptionRow>(
      `SELECT id, agency, receipt_number, language, status, confirm_code_hash, confirm_attempts, confirm_expires_at < now() AS expired
         FROM ${this.s}.email_subscriptions WHERE confirm_token_hash = $1`,
      [hashSecret(token)],
    );
    if (rows.length === 0) throw invalidToken();
    return this.activate(rows[0]);
  }

  /** Confirms with the 6-digit code from the email; wrong codes are counted and limited. */
  async confirmCode(subscriptionId: string, code: string): Promise<ConfirmResult> {
    if (!isUuid(subscriptionId)) throw new NotificationError('NOT_FOUND', 'No subscription has this id.');
    if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) throw new NotificationError('INVALID_CODE', 'The confirmation code is the 6 digits from the email.');
    // The counter goes up before the comparison, in one statement, so parallel guesses cannot
    // all slip under the limit.
    const { rows } = await this.options.pool.query<SubscriptionRow>(
      `UPDATE ${this.s}.email_subscriptions
          SET confirm_attempts = confirm_attempts + CASE WHEN status = 'pending' THEN 1 ELSE 0 END
        WHERE id = $1 AND status <> 'unsubscribed'
        RETURNING id, agency, receipt_number, language, status, confirm_code_hash, confirm_attempts, confirm_expires_at < now() AS expired`,
      [subscriptionId],
    );
    if (rows.length === 0) throw new NotificationError('NOT_FOUND', 'No subscription has this id.');
    const row = rows[0];
    if (row.status === 'pending') {
      if (row.confirm_attempts > this.maxCodeAttempts) {
        throw new NotificationError('TOO_MANY_ATTEMPTS', 'Too many wrong codes: subscribe again to get a new code.');
      }
      if (!row.confirm_code_hash || !sameHash(row.confirm_code_hash, hashSecret(code.trim()))) {
        throw new NotificationError('INVALID_CODE', 'The confirmation code is not right.');
      }
    }
    return this.activate(row);
  }

  private async activate(row: SubscriptionRow): Promise<ConfirmResult> {
    const result = { subscriptionId: row.id, agency: row.agency, receiptNumber: row.receipt_number, language: row.language };
    if (row.status === 'active') return { ...result, confirmedNow: false };
    if (row.status !== 'pending') throw invalidToken();
    if (row.expired) throw new NotificationError('TOKEN_EXPIRED', 'This confirmation has expired: subscribe again to get a new code and link.');
    const { rowCount } = await this.options.pool.query(
      `UPDATE ${this.s}.email_subscriptions SET status = 'active', confirmed_at = now(), confirm_code_hash = NULL
        WHERE id = $1 AND status = 'pending'`,
      [row.id],
    );
    if (rowCount === 1) this.options.logger.log(`subscription ${row.id} confirmed`);
    return { ...result, confirmedNow: rowCount === 1 };
  }

  /**
   * Ends a subscription from the token in every notification's unsubscribe link and erases
   * the email address. Unsubscribing twice answers the same.
   */
  async unsubscribe(token: string): Promise<UnsubscribeResult> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw invalidToken();
    const { rows } = await this.options.pool.query<{ id: string; agency: string; receipt_number: string; was: string }>(
      `UPDATE ${this.s}.email_subscriptions t
          SET status = 'unsubscribed', email = NULL, confirm_token_hash = NULL, confirm_code_hash = NULL,
              unsubscribed_at = coalesce(t.unsubscribed_at, now())
         FROM ${this.s}.email_subscriptions old
        WHERE t.unsubscribe_token = $1 AND old.id = t.id
        RETURNING t.id, t.agency, t.receipt_number, old.status AS was`,
      [token],
    );
    if (rows.length === 0) throw invalidToken();
    const row = rows[0];
    const unsubscribedNow = row.was !== 'unsubscribed';
    if (unsubscribedNow) this.options.logger.log(`subscription ${row.id} ended by its unsubscribe link`);
    return { subscriptionId: row.id, agency: row.agency, receiptNumber: row.receipt_number, unsubscribedNow };
  }

  /** Deletes subscriptions never confirmed in time, address included. Returns how many. */
  async purgeExpiredConfirmations(): Promise<number> {
    const { rowCount } = await this.options.pool.query(`DELETE FROM ${this.s}.email_subscriptions WHERE status = 'pending' AND confirm_expires_at < now()`);
    return rowCount ?? 0;
  }

  /** Registers a webhook endpoint for one case or (no receipt number) every case of the agency. */
  async registerWebhook(input: RegisterWebhookInput): Promise<RegisteredWebhook> {
    const agencyConfig = findAgency(input.agency);
    if (!agencyConfig) throw unknownAgency(input.agency);
    let receiptNumber: string | null = null;
    if (input.receiptNumber !== undefined && input.receiptNumber !== null) {
      receiptNumber = input.receiptNumber.trim();
      const problem = validateReceiptNumber(agencyConfig, receiptNumber);
      if (problem) throw new NotificationError('INVALID_RECEIPT_NUMBER', problem);
    }
    const url = validateWebhookUrl(input.url, this.options.webhookUrlPolicy);
    if (typeof input.owner !== 'string' || input.owner.trim().length === 0) throw new NotificationError('INVALID_ARGUMENT', 'A webhook needs an owner (who registered it).');
    const description = input.description?.trim() || null;
    if (description && description.length > 200) throw new NotificationError('INVALID_ARGUMENT', 'The description is longer than 200 characters.');
    const id = randomUUID();
    const secret = newWebhookSecret();
    const { rows } = await this.options.pool.query<{ created_at: Date }>(
      `INSERT INTO ${this.s}.webhook_endpoints (id, agency, receipt_number, url, secret, owner, description, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active') RETURNING created_at`,
      [id, agencyConfig.code, receiptNumber, url, secret, input.owner.trim(), description],
    );
    this.options.logger.log(`webhook ${id} registered for ${agencyConfig.code} ${receiptNumber ?? '(all cases)'}`);
    return { id, agency: agencyConfig.code, receiptNumber, url, description, createdAt: rows[0].created_at, secret };
  }

  /** The owner's active endpoints, without their secrets. */
  async listWebhooks(owner: string): Promise<WebhookEndpointView[]> {
    const { rows } = await this.options.pool.query<{ id: string; agency: string; receipt_number: string | null; url: string; description: string | null; created_at: Date }>(
      `SELECT id, agency, receipt_number, url, description, created_at FROM ${this.s}.webhook_endpoints
        WHERE owner = $1 AND status = 'active' ORDER BY created_at, id`,
      [owner],
    );
    return rows.map((r) => ({ id: r.id, agency: r.agency, receiptNumber: r.receipt_number, url: r.url, description: r.description, createdAt: r.created_at }));
  }

  /** Stops deliveries to an endpoint; deliveries still queued for it are canceled. */
  async removeWebhook(id: string, owner: string): Promise<void> {
    const { rowCount } = isUuid(id)
      ? await this.options.pool.query(
          `UPDATE ${this.s}.webhook_endpoints SET status = 'removed', removed_at = now() WHERE id = $1 AND owner = $2 AND status = 'active'`,
          [id, owner],
        )
      : { rowCount: 0 };
    if (rowCount !== 1) throw new NotificationError('NOT_FOUND', 'No active webhook endpoint of yours has this id.');
    this.options.logger.log(`webhook ${id} removed`);
  }

  private link(action: 'confirm' | 'unsubscribe', token: string): string {
    return notificationLink(this.options.publicBaseUrl, action, token);
  }
}

/** The public confirm / unsubscribe link; the links handler serves these paths. */
/**
 * Where the links in emails point: an absolute URL, or a function giving it when a link is
 * made (for a composition that learns its public address only once its servers listen).
 */
export type PublicBaseUrl = string | (() => string);

export function notificationLink(publicBaseUrl: PublicBaseUrl, action: 'confirm' | 'unsubscribe', token: string): string {
  const base = typeof publicBaseUrl === 'function' ? publicBaseUrl() : publicBaseUrl;
  const url = new URL(`notifications/${action}`, base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('token', token);
  return url.toString();
}

function resolveCase(agencyCode: string | undefined, rawReceipt: string): { agency: string; receiptNumber: string } {
  if (typeof rawReceipt !== 'string') throw new NotificationError('INVALID_RECEIPT_NUMBER', 'The receipt number must be a string.');
  const receiptNumber = rawReceipt.trim();
  if (agencyCode !== undefined) {
    const agency = findAgency(agencyCode);
    if (!agency) throw unknownAgency(agencyCode);
    const problem = validateReceiptNumber(agency, receiptNumber);
    if (problem) throw new NotificationError('INVALID_RECEIPT_NUMBER', problem);
    return { agency: agency.code, receiptNumber };
  }
  const matches = Object.values(AGENCIES).filter((agency) => validateReceiptNumber(agency, receiptNumber) === null);
  if (matches.length === 1) return { agency: matches[0].code, receiptNumber };
  if (matches.length > 1) {
    throw new NotificationError('INVALID_ARGUMENT', `"${receiptNumber}" could be a receipt number of ${matches.map((a) => a.code).join(' or ')}: say which agency.`);
  }
  const formats = Object.values(AGENCIES).map((a) => `${a.code}: ${a.receiptNumber.description} (e.g. ${a.receiptNumber.example})`);
  throw new NotificationError('INVALID_RECEIPT_NUMBER', `"${receiptNumber}" is not a receipt number of any agency. Formats: ${formats.join('; ')}.`);
}

function parseLanguage(language: string): Language {
  if ((LANGUAGES as readonly string[]).includes(language)) return language as Language;
  throw new NotificationError('INVALID_LANGUAGE', `Language must be one of ${LANGUAGES.join(', ')}, not "${language}".`);
}

const isUuid = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const invalidToken = () => new NotificationError('INVALID_TOKEN', 'This link is not valid (it may have been replaced by a newer one).');
const unknownAgency = (code: string) => new NotificationError('UNKNOWN_AGENCY', `Unknown agency "${code}"; known: ${Object.keys(AGENCIES).join(', ')}.`);
