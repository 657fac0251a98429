import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CASE_STATUS_CHANGE_FEED,
  READ_MODEL_QUERIES,
  type CaseStatusChangeFeed,
  type CaseStatusChanged,
  type CaseStatusView,
  type ReadModelQueries,
} from '@case-status/read-models';
import { findCase } from '../lookup/case-status.resolver';
import { CaseStatus } from '../lookup/case-status.models';
import { WEBSOCKET_LIMITS, type WebSocketLimits } from '../limits/websocket-limits';

/** How long a push waits for a read replica to show a change: 50 × 100 ms. */
const REPLICA_WAIT_ATTEMPTS = 50;
const REPLICA_WAIT_MS = 100;

const caseStatusTopic = (receiptNumber: string) => `caseStatusChanged:${receiptNumber}`;

interface Payload {
  caseStatusChanged: CaseStatusView;
}

interface SubscriptionPubSub {
  subscribe(topic: string): Promise<AsyncIterable<Payload>>;
}

/**
 * Listens to the read models' change feed once for the whole application and publishes each
 * change of a watched case to the subscribers of that case. Changes of cases nobody watches
 * here cost nothing: the case is read only when someone is subscribed to it.
 */
@Injectable()
export class CaseStatusChangeBroadcaster implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CaseStatusChanged');
  private readonly watchers = new Map<string, number>();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    @Inject(CASE_STATUS_CHANGE_FEED) private readonly feed: CaseStatusChangeFeed,
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = await this.feed.listen((change) => void this.publish(change));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = undefined;
  }

  /** How many subscriptions in this application watch the case. */
  watching(receiptNumber: string): number {
    return this.watchers.get(receiptNumber) ?? 0;
  }

  /**
   * Counts the subscription as watching the case until the client or the server ends it;
   * then calls `onEnd` (once).
   */
  track(receiptNumber: string, source: AsyncIterable<Payload>, onEnd: () => void = () => undefined): AsyncIterableIterator<Payload> {
    this.watchers.set(receiptNumber, this.watching(receiptNumber) + 1);
    const iterator = source[Symbol.asyncIterator]();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      onEnd();
      const left = this.watching(receiptNumber) - 1;
      if (left > 0) this.watchers.set(receiptNumber, left);
      else this.watchers.delete(receiptNumber);
    };
    // A hand-written iterator rather than an async generator: a generator waiting for the
    // next message would only run its cleanup after that message, which may never come.
    const tracked: AsyncIterableIterator<Payload> = {
      next: async () => {
        const result = await iterator.next();
        if (result.done) release();
        return result;
      },
      return: async (value?: unknown) => {
        release();
        return iterator.return ? iterator.return(value) : { done: true, value: undefined };
      },
      throw: async (error?: unknown) => {
        release();
        if (iterator.throw) return iterator.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]: () => tracked,
    };
    return tracked;
  }

  private async publish(change: CaseStatusChanged): Promise<void> {
    if (this.watching(change.receiptNumber) === 0) return;
    try {
      const view = await this.viewAtLeast(change);
      if (!view) return;
      const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
      fastify.graphql.pubsub.publish({ topic: caseStatusTopic(change.receiptNumber), payload: { caseStatusChanged: view } satisfies Payload });
    } catch (error) {
      // A failed read loses this push only; the next change of the case pushes the then-current status.
      this.logger.error(`could not push the status of ${change.receiptNumber}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The case as of the change or later. Lookups may read a replica that has not replayed the
   * change yet when the primary's NOTIFY arrives: pushing what it has would tell subscribers
   * the old status as news. Waits for it a while; gives up (logged) rather than push the past.
   */
  private async viewAtLeast(change: CaseStatusChanged): Promise<CaseStatusView | null> {
    const wanted = BigInt(change.revision);
    for (let attempt = 0; ; attempt++) {
      const view = await this.queries.caseStatus(change.receiptNumber);
      if (view && BigInt(view.revision) >= wanted) return view;
      if (attempt >= REPLICA_WAIT_ATTEMPTS) {
        this.logger.warn(`the status of ${change.receiptNumber} at revision ${change.revision} was not readable within ${(REPLICA_WAIT_ATTEMPTS * REPLICA_WAIT_MS) / 1000} s: not pushed`);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, REPLICA_WAIT_MS));
    }
  }
}

@Resolver()
export class CaseStatusChangedResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    private readonly broadcaster: CaseStatusChangeBroadcaster,
    @Inject(WEBSOCKET_LIMITS) private readonly websocketLimits: WebSocketLimits,
  ) {}

  @Subscription(() => CaseStatus, { description: 'The new status of the case each time it changes. Public.' })
  async caseStatusChanged(
    @Args('receiptNumber') receiptNumber: string,
    @Context('pubsub') pubsub: SubscriptionPubSub,
    @Context('request') request: FastifyRequest | undefined,
  ): Promise<AsyncIterableIterator<Payload>> {
    // The slot is taken before anything is read, and given back if the subscription does not start.
    const release = this.websocketLimits.reserveSubscription(request);
    try {
      await findCase(this.queries, receiptNumber);
      return this.broadcaster.track(receiptNumber, await pubsub.subscribe(caseStatusTopic(receiptNumber)), release);
    } catch (error) {
      release();
      throw error;
    }
  }
}
