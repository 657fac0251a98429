import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AGENCIES, findAgency, isLanguage, LANGUAGES, receiptNumberOwner, validateReceiptNumber, type Language } from '@case-status/case-domain';
import { normalizeEmailAddress } from './email-address';
import type { EmailSender } from './email.channel';
import { renderConfirmationEmail } from './email-templates';
import { NotificationError } from './errors';
import { defaultNotificationKeys, type NotificationKeys } from './notification-keys';
import { hashSecret, newConfirmationCode, newLinkToken, sameHash } from './tokens';
import { newWebhookSecret, validateWebhookUrl, type WebhookUrlPolicy } from './webhook-signing';
import { resolveWebhookTarget, systemResolver, WebhookTargetRefused, type HostResolver } from './webhook-target';
import { assertSchemaName, guardPool, inTransaction, isUuid, quoteIdent } from './sql';
import { redactEmailAddresses, type Logger } from '@case-status/logging';

export interface SubscribeToCaseInput {
  /** Agency code; may be left out, as a receipt number's format names its agency. */
  agency?: string;
  receiptNumber: string;
  email: string;
  language: string;
}

/**
 * The one answer to every accepted subscribe request, whatever the address's state: whether
 * an address follows a case is not for whoever typed it in to learn. The email itself tells
 * its owner.
 */
export interface SubscribeResult {
  status: 'confirmation_sent';
  message: string;
}

export const SUBSCRIBE_ANSWER: SubscribeResult = Object.freeze({
  status: 'confirmation_sent',
  message: 'If this address can receive updates for this case and does not get them already, a confirmation code and link are on their way to it.',
});

/** Where a confirmation code is typed in: the case and the address it was sent to. */
export interface SubscriptionAddress {
  agency?: string;
  receiptNumber: string;
  email: string;
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
  /**
   * Set when a representative registers it: the agency's id for them (RepresentativeAppointed).
   * Deliveries then go out only while they are of record on the case.
   */
  representativeId?: string;
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
  /**
   * Confirmation emails (requests, counted whether or not an email follows) per address and
   * per case within `windowMinutes`, over every instance (kept in PostgreSQL). Default 3 per
   * address and 20 per case an hour.
   */
  confirmationLimits?: ConfirmationLimits;
  /** Active webhook endpoints one owner may have. Default 25. */
  maxWebhooksPerOwner?: number;
  /** Seal webhook secrets, derive unsubscribe tokens, key the throttle. Default: the development key (never in production). */
  keys?: NotificationKeys;
  /** Resolves webhook hosts at registration. Default: the system resolver. */
  resolveHost?: HostResolver;
  logger: Logger;
}

export interface ConfirmationLimits {
  perAddress: number;
  perCase: number;
  windowMinutes: number;
}

export const DEFAULT_CONFIRMATION_LIMITS: ConfirmationLimits = { perAddress: 3, perCase: 20, windowMinutes: 60 };
export const DEFAULT_MAX_WEBHOOKS_PER_OWNER = 25;

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
  private readonly limits: ConfirmationLimits;
  private readonly maxWebhooks: number;
  private readonly keys: NotificationKeys;
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly options: SubscriptionServiceOptions) {
    guardPool(options.pool, (error) => options.logger.warn(`a database connection dropped (${error.message})`));
    const schema = options.schema ?? 'notifications';
    assertSchemaName(schema);
    this.s = quoteIdent(schema);
    this.ttlHours = options.confirmationTtlHours ?? 48;
    this.maxCodeAttempts = options.maxCodeAttempts ?? 5;
    this.limits = options.confirmationLimits ?? DEFAULT_CONFIRMATION_LIMITS;
    this.maxWebhooks = options.maxWebhooksPerOwner ?? DEFAULT_MAX_WEBHOOKS_PER_OWNER;
    this.keys = defaultNotificationKeys(options.keys);
    if (typeof options.publicBaseUrl === 'string' && !URL.canParse(options.publicBaseUrl)) throw new TypeError(`publicBaseUrl is not an absolute URL: "${options.publicBaseUrl}"`);
  }

  /**
   * Starts (or restarts) an email subscription and emails a confirmation code and link.
   * Nothing about the case is sent before confirmation. The same address subscribing again
   * to the same case is the same subscription: a pending one gets a new code and link, an
   * active one gets nothing (its owner already receives updates).
   *
   * Valid input always gets SUBSCRIBE_ANSWER, throttled or not, followed or not, and the
   * email is sent after answering, so neither the answer nor its timing tells the caller
   * anything about the address. Only the address's owner learns, from their inbox.
   */
  async subscribe(input: SubscribeToCaseInput): Promise<SubscribeResult> {
    const { agency, receiptNumber } = resolveCase(input.agency, input.receiptNumber);
    const email = normalizeEmailAddress(input.email);
    const language = parseLanguage(input.language);
    const throttleKeys = this.throttleKeys(agency, receiptNumber, email);
    const refusal = await this.takeConfirmationSlot(throttleKeys);
    if (refusal) {
      this.options.logger.warn(`confirmation for ${agency} ${receiptNumber} not sent: ${refusal}`);
      return SUBSCRIBE_ANSWER;
    }
    // A request that passed the throttle restarts the code attempts of this case and address,
    // followed or not (the same statement either way); a pending subscription gets a new code.
    await this.options.pool.query(`DELETE FROM ${this.s}.confirmation_throttle WHERE key = $1`, [throttleKeys.codeAttempts]);
    const token = newLinkToken();
    const code = newConfirmationCode();
    const subscriptionId = await this.upsertPending({ agency, receiptNumber, email, language, token, code });
    if (!subscriptionId) {
      this.options.logger.log(`subscribe request for ${agency} ${receiptNumber}: the address already gets its updates; nothing sent`);
      return SUBSCRIBE_ANSWER;
    }
    const rendered = renderConfirmationEmail({ language, receiptNumber, code, confirmUrl: this.link('confirm', token), expiresInHours: this.ttlHours });
    const sent = this.options.email
      .send({ to: email, ...rendered, messageId: `<confirm-${subscriptionId}-${Date.now()}@case-status>` })
      .then(
        () => this.options.logger.log(`subscription ${subscriptionId} to ${agency} ${receiptNumber} awaits confirmation`),
        async (error: Error) => {
          this.options.logger.warn(`confirmation email for subscription ${subscriptionId} not sent: ${redactEmailAddresses(error.message)}`);
          // The person can ask again at once: an email that never left does not count.
          await this.options.pool
            .query(`UPDATE ${this.s}.confirmation_throttle SET count = greatest(count - 1, 0) WHERE key = ANY($1::bytea[])`, [[throttleKeys.address, throttleKeys.case]])
            .catch((refund: Error) => this.options.logger.error(`confirmation throttle not refunded: ${refund.message}`));
        },
      )
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
    return SUBSCRIBE_ANSWER;
  }

  /** Resolves once the confirmation emails being sent have been sent or have failed (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  /**
   * A pending subscription with this code and link (new, or its old ones replaced); null when
   * the address already gets the updates. One statement whatever the state, so the paths do
   * the same work up to the email, which is sent after answering anyway.
   */
  private async upsertPending(request: { agency: string; receiptNumber: string; email: string; language: Language; token: string; code: string }): Promise<string | null> {
    const id = randomUUID();
    const pending = (column: string) => `${column} = CASE WHEN t.status = 'pending' THEN EXCLUDED.${column} ELSE t.${column} END`;
    const { rows } = await this.options.pool.query<{ id: string; status: string }>(
      `INSERT INTO ${this.s}.email_subscriptions AS t
         (id, agency, receipt_number, email, language, status, confirm_token_hash, confirm_code_hash, confirm_attempts, confirm_expires_at, unsubscribe_token_hash, unsubscribe_key_id)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, 0, now() + make_interval(hours => $8), $9, $10)
       ON CONFLICT (agency, receipt_number, lower(email)) WHERE email IS NOT NULL
       DO UPDATE SET ${['confirm_token_hash', 'confirm_code_hash', 'confirm_attempts', 'confirm_expires_at', 'language'].map(pending).join(', ')}
       RETURNING id, status`,
      [
        id, request.agency, request.receiptNumber, request.email, request.language, hashSecret(request.token), hashSecret(request.code), this.ttlHours,
        hashSecret(this.keys.unsubscribeToken(id)), this.keys.currentKeyId,
      ],
    );
    return rows[0].status === 'pending' ? rows[0].id : null;
  }

  private throttleKeys(agency: string, receiptNumber: string, email: string): { address: Buffer; case: Buffer; codeAttempts: Buffer } {
    return {
      address: this.keys.digest('confirmations-per-address', email.toLowerCase()),
      case: this.keys.digest('confirmations-per-case', `${agency} ${receiptNumber}`),
      codeAttempts: this.keys.digest('code-attempts', `${agency} ${receiptNumber} ${email.toLowerCase()}`),
    };
  }

  /** Counts this request against the address's and the case's window; why it is over the limit, or null. */
  private async takeConfirmationSlot(keys: { address: Buffer; case: Buffer }): Promise<string | null> {
    const counts = await this.count([keys.address, keys.case], this.limits.windowMinutes);
    if (counts(keys.address) > this.limits.perAddress) return `over ${this.limits.perAddress} per address in ${this.limits.windowMinutes} minutes`;
    if (counts(keys.case) > this.limits.perCase) return `over ${this.limits.perCase} per case in ${this.limits.windowMinutes} minutes`;
    return null;
  }

  /** Adds one to each key's count in its window (a new window once the old one is over); returns the counts. */
  private async count(keys: Buffer[], windowMinutes: number): Promise<(key: Buffer) => number> {
    // Sorted, so two requests taking the same rows lock them in the same order.
    const ordered = [...keys].sort(Buffer.compare);
    const { rows } = await this.options.pool.query<{ key: Buffer; count: number }>(
      `INSERT INTO ${this.s}.confirmation_throttle AS t (key, window_started_at, count)
       SELECT key, now(), 1 FROM unnest($1::bytea[]) AS key
       ON CONFLICT (key) DO UPDATE SET
         window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(mins => $2) THEN now() ELSE t.window_started_at END,
         count = CASE WHEN t.window_started_at <= now() - make_interval(mins => $2) THEN 1 ELSE t.count + 1 END
       RETURNING key, count`,
      [ordered, windowMinutes],
    );
    return (key) => rows.find((row) => row.key.equals(key))?.count ?? 0;
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
    return this.confirmCodeWhere('id = $1', [subscriptionId], code, () => new NotificationError('NOT_FOUND', 'No subscription has this id.'));
  }

  /**
   * Confirms with the code, for the case and address it was sent to. An address that never
   * asked, and a subscription already confirmed, get the same INVALID_CODE as a wrong code,
   * and the attempts are counted per case and address whether a subscription exists or not:
   * only the code proves anything.
   */
  async confirmCodeForAddress(address: SubscriptionAddress, code: string): Promise<ConfirmResult> {
    const { agency, receiptNumber } = resolveCase(address.agency, address.receiptNumber);
    const email = normalizeEmailAddress(address.email);
    checkCodeFormat(code);
    const key = this.throttleKeys(agency, receiptNumber, email).codeAttempts;
    if ((await this.count([key], this.ttlHours * 60))(key) > this.maxCodeAttempts) throw tooManyAttempts();
    const { rows } = await this.options.pool.query<SubscriptionRow>(
      `SELECT id, agency, receipt_number, language, status, confirm_code_hash, confirm_attempts, confirm_expires_at < now() AS expired
         FROM ${this.s}.email_subscriptions WHERE agency = $1 AND receipt_number = $2 AND lower(email) = lower($3) AND status <> 'unsubscribed'`,
      [agency, receiptNumber, email],
    );
    const row = rows[0];
    // Only a pending subscription takes its code: answering "confirmed before" to the right code
    // of an active one would tell whoever guessed it that the address follows the case.
    if (row?.status !== 'pending' || !row.confirm_code_hash || !sameHash(row.confirm_code_hash, hashSecret(code.trim()))) throw wrongCode();
    return this.activate(row);
  }

  private async confirmCodeWhere(where: string, params: unknown[], code: string, notFound: () => NotificationError): Promise<ConfirmResult> {
    checkCodeFormat(code);
    // The counter goes up before the comparison, in one statement, so parallel guesses cannot
    // all slip under the limit. A confirmed subscription keeps its code's hash, so typing the
    // right code again answers "confirmed before" and a wrong one is refused as ever.
    const { rows } = await this.options.pool.query<SubscriptionRow>(
      `UPDATE ${this.s}.email_subscriptions SET confirm_attempts = confirm_attempts + 1
        WHERE ${where} AND status <> 'unsubscribed'
        RETURNING id, agency, receipt_number, language, status, confirm_code_hash, confirm_attempts, confirm_expires_at < now() AS expired`,
      params,
    );
    if (rows.length === 0) throw notFound();
    const row = rows[0];
    if (row.confirm_attempts > this.maxCodeAttempts) throw tooManyAttempts();
    if (!row.confirm_code_hash || !sameHash(row.confirm_code_hash, hashSecret(code.trim()))) throw wrongCode();
    return this.activate(row);
  }

  private async activate(row: SubscriptionRow): Promise<ConfirmResult> {
    const result = { subscriptionId: row.id, agency: row.agency, receiptNumber: row.receipt_number, language: row.language };
    if (row.status === 'active') return { ...result, confirmedNow: false };
    if (row.status !== 'pending') throw invalidToken();
    if (row.expired) throw new NotificationError('TOKEN_EXPIRED', 'This confirmation has expired: subscribe again to get a new code and link.');
    const { rowCount } = await this.options.pool.query(
      `UPDATE ${this.s}.email_subscriptions SET status = 'active', confirmed_at = now(), confirm_attempts = 0
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
        WHERE (t.unsubscribe_token_hash = $1 OR t.legacy_unsubscribe_token_hash = $1) AND old.id = t.id
        RETURNING t.id, t.agency, t.receipt_number, old.status AS was`,
      [hashSecret(token)],
    );
    if (rows.length === 0) throw invalidToken();
    const row = rows[0];
    const unsubscribedNow = row.was !== 'unsubscribed';
    if (unsubscribedNow) this.options.logger.log(`subscription ${row.id} ended by its unsubscribe link`);
    return { subscriptionId: row.id, agency: row.agency, receiptNumber: row.receipt_number, unsubscribedNow };
  }

  /** Deletes subscriptions never confirmed in time, address included, and finished throttle windows. Returns how many subscriptions. */
  async purgeExpiredConfirmations(): Promise<number> {
    const { rowCount } = await this.options.pool.query(`DELETE FROM ${this.s}.email_subscriptions WHERE status = 'pending' AND confirm_expires_at < now()`);
    // The longest window is the code attempts' (as long as a code works).
    const minutes = Math.max(this.limits.windowMinutes, this.ttlHours * 60);
    await this.options.pool.query(`DELETE FROM ${this.s}.confirmation_throttle WHERE window_started_at <= now() - make_interval(mins => $1)`, [minutes]);
    return rowCount ?? 0;
  }

  /**
   * Registers a webhook endpoint for one case or (no receipt number) every case of the agency.
   * The host must resolve to public addresses only (checked again at every send), and an
   * owner has at most `maxWebhooksPerOwner` active endpoints.
   */
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
    const owner = input.owner.trim();
    const description = input.description?.trim() || null;
    if (description && description.length > 200) throw new NotificationError('INVALID_ARGUMENT', 'The description is longer than 200 characters.');
    const representativeId = input.representativeId ?? null;
    if (representativeId !== null && receiptNumber === null) throw new NotificationError('INVALID_ARGUMENT', 'A representative watches the cases they are of record on, one at a time: name the case.');
    try {
      await resolveWebhookTarget(url, this.options.webhookUrlPolicy, this.options.resolveHost ?? systemResolver);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) {
        this.options.logger.warn(`webhook registration refused: ${error.message}`);
        throw new NotificationError('INVALID_WEBHOOK_URL', `Invalid webhook URL: ${error.publicReason}.`);
      }
      throw error;
    }
    const id = randomUUID();
    const secret = newWebhookSecret();
    const created = await inTransaction(this.options.pool, async (client) => {
      // Counting and inserting under one lock per owner, so parallel registrations cannot pass the cap together.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`case-status/webhook-owner/${owner}`]);
      const { rows: counted } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.s}.webhook_endpoints WHERE owner = $1 AND status = 'active'`, [owner]);
      if (counted[0].n >= this.maxWebhooks) return null;
      const { rows } = await client.query<{ created_at: Date }>(
        `INSERT INTO ${this.s}.webhook_endpoints (id, agency, receipt_number, url, secret_sealed, owner, description, status, representative_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING created_at`,
        [id, agencyConfig.code, receiptNumber, url, this.keys.seal(secret, `webhook-secret:${id}`), owner, description, representativeId],
      );
      return rows[0].created_at;
    });
    if (!created) {
      throw new NotificationError(
        'WEBHOOK_LIMIT_REACHED',
        `You already have ${this.maxWebhooks} active webhook endpoints, the most one owner may have: remove one before adding another.`,
        { limit: this.maxWebhooks },
      );
    }
    this.options.logger.log(`webhook ${id} registered for ${agencyConfig.code} ${receiptNumber ?? '(all cases)'}`);
    return { id, agency: agencyConfig.code, receiptNumber, url, description, createdAt: created, secret };
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
  const owner = receiptNumberOwner(receiptNumber);
  if (owner) return { agency: owner.code, receiptNumber };
  const formats = Object.values(AGENCIES).map((a) => `${a.code}: ${a.receiptNumber.description} (e.g. ${a.receiptNumber.example})`);
  throw new NotificationError('INVALID_RECEIPT_NUMBER', `"${receiptNumber}" is not a receipt number of any agency. Formats: ${formats.join('; ')}.`);
}

function parseLanguage(language: string): Language {
  if (isLanguage(language)) return language;
  throw new NotificationError('INVALID_LANGUAGE', `Language must be one of ${LANGUAGES.join(', ')}, not "${language}".`);
}

function checkCodeFormat(code: unknown): asserts code is string {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) throw new NotificationError('INVALID_CODE', 'The confirmation code is the 6 digits from the email.');
}
const tooManyAttempts = () => new NotificationError('TOO_MANY_ATTEMPTS', 'Too many wrong codes: subscribe again to get a new code.');
const wrongCode = () => new NotificationError('INVALID_CODE', 'The confirmation code is not right.');
const invalidToken = () => new NotificationError('INVALID_TOKEN', 'This link is not valid (it may have been replaced by a newer one).');
const unknownAgency = (code: string) => new NotificationError('UNKNOWN_AGENCY', `Unknown agency "${code}"; known: ${Object.keys(AGENCIES).join(', ')}.`);
