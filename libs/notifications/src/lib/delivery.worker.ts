import type { PublicBaseUrl } from './subscription.service';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { DatabaseReachability, isTransientConnectionError } from '@case-status/postgres-support';
import { backoffDelayMs, type RetryPolicy } from './backoff';
import { deliverTraced } from './delivery-tracing';
import { originalMessage, type DeadLetterPublisher } from './dead-letter';
import type { ClaimedDelivery, DeliveryStore } from './delivery-store';
import type { EmailSender } from './email.channel';
import { renderStatusEmail } from './email-templates';
import { redactEmailAddresses, type Logger } from '@case-status/logging';
import { notificationLink } from './subscription.service';
import type { WebhookSender } from './webhook.channel';

/** The representatives of record, as a projection knows them (e.g. `PostgresRepresentatives` of @case-status/identity). */
export interface RepresentationCheck {
  isOfRecord(agency: string, receiptNumber: string, representativeId: string): Promise<boolean>;
}

/** Issues a case's survey link (`SurveyLinks` of @case-status/feedback). */
export interface SurveyLinkIssuer {
  issue(receiptNumber: string): { token: string; expiresAt: Date };
}

/** The lifecycle event after which a case's survey opens. */
const DECISION_ISSUED = 'DecisionIssued';

export interface DeliveryWorkerOptions {
  store: DeliveryStore;
  email: EmailSender;
  webhooks: WebhookSender;
  deadLetters: DeadLetterPublisher;
  retry: RetryPolicy;
  publicBaseUrl: PublicBaseUrl;
  /** Topic named in dead letters as the original's. */
  topic: string;
  /** Deliveries in flight at once; a slow endpoint holds one slot, never the others. Default 16. */
  concurrency?: number;
  /** How often idle slots look for due retries. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long a claim lasts before another worker may take the delivery over. Must exceed the channel timeouts. */
  leaseMs: number;
  /** Who is of record on which case; without it, no representative's endpoint is delivered to. */
  representatives?: RepresentationCheck;
  /**
   * Survey links for the applicant, sent with a decision to the agency's own endpoints (for
   * every case of the agency), which pass them on with the decision notice; without it, none.
   */
  surveyLinks?: SurveyLinkIssuer;
  logger: Logger;
}

/** The survey page of the case on the website, in each language, carrying the link's token (`?link=`). */
function surveyLinkUrls(publicBaseUrl: PublicBaseUrl, receiptNumber: string, token: string): { en: string; es: string } {
  const base = typeof publicBaseUrl === 'function' ? publicBaseUrl() : publicBaseUrl;
  const url = (language: 'en' | 'es') => {
    const page = new URL(`${language}/case/${encodeURIComponent(receiptNumber)}/feedback`, base.endsWith('/') ? base : `${base}/`);
    page.searchParams.set('link', token);
    return page.toString();
  };
  return { en: url('en'), es: url('es') };
}

/** The webhook body: Standard Webhooks' recommended {type, timestamp, data} envelope. */
function webhookBody(delivery: Pick<ClaimedDelivery, 'change'>, survey?: { url: { en: string; es: string }; expiresAt: string }): string {
  return JSON.stringify({
    type: CASE_STATUS_CHANGED_V1.topic,
    timestamp: delivery.change.data.recordedAt,
    data: { eventId: delivery.change.eventId, ...delivery.change.data, ...(survey && { survey }) },
  });
}

/**
 * Takes due deliveries from the store and attempts them, each slot independently; a failed
 * attempt is rescheduled with exponential backoff, and after the last one the delivery is
 * published to the dead-letter topic.
 */
export class DeliveryWorker {
  private running = false;
  private readonly slots: Promise<void>[] = [];
  private waiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  /** Shared by the slots: an unreachable database is logged once, not once per slot and poll. */
  readonly database: DatabaseReachability;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.concurrency = options.concurrency ?? 16;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.database = new DatabaseReachability({
      onDown: (error) => options.logger.warn(`deliveries: the database cannot be reached (${error.message}); retrying with backoff`),
      onUp: (downForMs) => options.logger.log(`deliveries: the database is reachable again after ${downForMs} ms`),
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.concurrency; i++) this.slots.push(this.loop());
  }

  /** New deliveries were queued: idle slots look now instead of at the next poll. */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stops claiming and waits for attempts in flight to settle. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.slots.splice(0));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let delivery: ClaimedDelivery | null = null;
      try {
        delivery = await this.options.store.claimNext(this.options.leaseMs);
        this.database.succeeded();
      } catch (error) {
        if (isTransientConnectionError(error)) {
          await this.idle(this.database.failed(error as Error));
          continue;
        }
        this.options.logger.error(`claiming a delivery failed: ${(error as Error).message}`);
      }
      if (!delivery) {
        await this.idle();
        continue;
      }
      try {
        await this.process(delivery, Date.now() + this.options.leaseMs / 2);
      } catch (error) {
        // The claim's lease runs out and another attempt takes the delivery over.
        this.options.logger.error(`delivery ${delivery.id} could not be settled: ${(error as Error).message}`);
      }
    }
  }

  private idle(ms = this.pollIntervalMs): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /**
   * Settling what was attempted (delivered, retry, dead letter) rides out a database restart:
   * retried with backoff while the claim is well within its lease, so a person who was sent
   * the update is not sent it again because the answer was lost. Settling twice changes
   * nothing (only the claim's holder settles it).
   */
  private async settle(until: number, write: () => Promise<unknown>): Promise<void> {
    for (;;) {
      try {
        await write();
        this.database.succeeded();
        return;
      } catch (error) {
        if (!isTransientConnectionError(error)) throw error;
        const delay = this.database.failed(error as Error);
        if (Date.now() + delay > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async process(delivery: ClaimedDelivery, settleBy: number): Promise<void> {
    const { store, logger } = this.options;
    if (delivery.status === 'dead_letter_pending') {
      await this.deadLetter(delivery, delivery.lastError ?? 'unknown error', settleBy);
      return;
    }
    if (!delivery.target.active) {
      await this.settle(settleBy, () => store.markCanceled(delivery, 'the subscription ended before delivery'));
      logger.log(`delivery ${delivery.id} canceled: subscription ${delivery.subscriptionId} ended`);
      return;
    }
    let ofRecord = true;
    try {
      // Asked as part of the attempt: a projection that cannot be read now makes it a failed attempt, retried later.
      ofRecord = await this.stillOfRecord(delivery.target);
      if (ofRecord) await deliverTraced(delivery, () => this.send(delivery));
    } catch (error) {
      const reason = redactEmailAddresses((error as Error).message || String(error)).slice(0, 1000);
      if ((error as { permanent?: boolean }).permanent === true) {
        // Retrying cannot help (the endpoint resolves to an address we never send to).
        logger.warn(`delivery ${delivery.id} (${delivery.target.channel}, subscription ${delivery.subscriptionId}) refused, dead-lettering without retry: ${reason}`);
        await this.deadLetter(delivery, reason, settleBy);
      } else if (delivery.attempts >= this.options.retry.maxAttempts) {
        logger.warn(`delivery ${delivery.id} (${delivery.target.channel}, subscription ${delivery.subscriptionId}) failed ${delivery.attempts} times, dead-lettering: ${reason}`);
        await this.deadLetter(delivery, reason, settleBy);
      } else {
        const delay = backoffDelayMs(delivery.attempts, this.options.retry);
        logger.warn(`delivery ${delivery.id} attempt ${delivery.attempts} failed, retrying in ${delay} ms: ${reason}`);
        await this.settle(settleBy, () => store.markRetry(delivery, delay, reason));
      }
      return;
    }
    if (!ofRecord) {
      await this.settle(settleBy, () => store.markCanceled(delivery, 'the representative is not of record on the case'));
      logger.log(`delivery ${delivery.id} canceled: the representative of endpoint ${delivery.subscriptionId} is not of record on the case`);
      return;
    }
    await this.settle(settleBy, () => store.markDelivered(delivery));
  }

  /** A representative's endpoint is delivered to only while the representatives projection has them of record, asked at each delivery. */
  private async stillOfRecord(target: ClaimedDelivery['target']): Promise<boolean> {
    if (target.channel !== 'webhook' || target.representative === null) return true;
    const { agency, receiptNumber, representativeId } = target.representative;
    return (await this.options.representatives?.isOfRecord(agency, receiptNumber, representativeId)) ?? false;
  }

  private async send(delivery: ClaimedDelivery): Promise<void> {
    const { target, change } = delivery;
    if (target.channel === 'webhook') {
      const links = this.options.surveyLinks;
      // Only the agency gets the applicant's survey link, to send with its decision notice: anyone
      // with a receipt number can follow a case by e-mail, and a representative is not the applicant.
      const survey = links && target.agencyWide && change.data.eventType === DECISION_ISSUED ? links.issue(change.data.receiptNumber) : undefined;
      const body = webhookBody(
        delivery,
        survey && { url: surveyLinkUrls(this.options.publicBaseUrl, change.data.receiptNumber, survey.token), expiresAt: survey.expiresAt.toISOString() },
      );
      await this.options.webhooks.send({ url: target.url, secret: target.secret, id: delivery.id, body, timestamp: new Date() });
      return;
    }
    if (!target.email) throw new Error('the subscription has no email address');
    const unsubscribeUrl = notificationLink(this.options.publicBaseUrl, 'unsubscribe', target.unsubscribeToken);
    const rendered = renderStatusEmail({ language: target.language, change: change.data, unsubscribeUrl });
    await this.options.email.send({
      to: target.email,
      ...rendered,
      // RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL.
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      messageId: `<${delivery.id}@notifier.case-status>`,
    });
  }

  private async deadLetter(delivery: ClaimedDelivery, reason: string, settleBy: number): Promise<void> {
    try {
      await this.options.deadLetters.publish(delivery.change.streamId, {
        reason: 'delivery_failed',
        deliveryId: delivery.id,
        subscriptionId: delivery.subscriptionId,
        channel: delivery.target.channel,
        attempts: delivery.attempts,
        lastError: reason,
        failedAt: new Date().toISOString(),
        original: originalMessage(this.options.topic, delivery.change),
      });
    } catch (error) {
      const delay = backoffDelayMs(Math.min(delivery.attempts, 30), this.options.retry);
      this.options.logger.error(`delivery ${delivery.id}: dead letter not published (${(error as Error).message}); again in ${delay} ms`);
      await this.settle(settleBy, () => this.options.store.markDeadLetterPending(delivery, delay, reason));
      return;
    }
    await this.settle(settleBy, () => this.options.store.markDeadLettered(delivery, reason));
  }
}
