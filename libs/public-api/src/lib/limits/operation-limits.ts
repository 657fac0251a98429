import { withLocalFallback, type SharedRateLimitStore } from '@case-status/http-support';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type SelectionSetNode, type ValidationRule } from 'graphql';
import { depthLimitRule } from './depth-limit.rule';
import { expandedFieldCount, MAX_QUERY_NODES, OperationCosts, TooManyQueryNodes } from './operation-cost';
import { StatusApiError } from '../shared/status-errors';

/** Root fields anyone may call; they are what the per-client rate limit counts. */
const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'caseStatus',
  'processingTimes',
  'estimateAccuracy',
  'caseStatusChanged',
  'subscribeToCase',
  'confirmSubscription',
  'confirmSubscriptionCode',
  'unsubscribe',
  'feedbackSurvey',
  'submitFeedback',
  'feedbackResults',
]);

/**
 * Introspection roots anyone may call: answered from the schema alone, but a whole schema is
 * the largest answer the API gives, so each is charged like a public lookup.
 */
const INTROSPECTION_ROOT_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

/** Root fields that send an email (a subscription's confirmation, a helper's invitation): counted again, against the stricter subscribe limit. */
const EMAIL_SENDING_ROOT_FIELDS: ReadonlySet<string> = new Set(['subscribeToCase', 'inviteHelper']);

export interface PublicRateLimitOptions {
  /** Public operations a client may run per window. */
  max: number;
  /** Milliseconds, or a duration string such as `'1 minute'`. */
  timeWindow: number | string;
  /** Who a client is; by default its address (Fastify's `trustProxy`, or the forwarding key's `X-Forwarded-For`). */
  keyGenerator?: (request: FastifyRequest) => string;
}

export interface OperationLimitOptions {
  maxDepth: number;
  maxComplexity: number;
  /** Root fields (aliases counted one by one) one operation may select. */
  maxRootFields: number;
  rateLimit: PublicRateLimitOptions | false;
  subscribeRateLimit: PublicRateLimitOptions | false;
  /** Who a request comes from when a limit has no `keyGenerator` of its own. */
  clientOf: (request: FastifyRequest) => string;
  /**
   * The application's rate-limit store when it is shared (Redis): while it fails, counts are
   * kept in this instance instead until it answers again, and the log says so.
   */
  sharedStore: SharedRateLimitStore | null;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
type Verdict = Awaited<ReturnType<Limiter>>;

/** What an operation selects at its root, by response key (aliases separately; repeats of one key merge, as GraphQL executes them). */
export interface RootSelections {
  /** Response keys, any field. */
  total: number;
  /** Response keys of PUBLIC_ROOT_FIELDS and INTROSPECTION_ROOT_FIELDS: units charged to the client's rate limit. */
  public: number;
  /** Response keys of EMAIL_SENDING_ROOT_FIELDS. */
  emailSending: number;
}

/** Root selections of the document's largest operation (whichever is run, it selects no more). */
export function rootSelections(document: DocumentNode): RootSelections {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const largest: RootSelections = { total: 0, public: 0, emailSending: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const fields = new Map<string, string>();
    const followed = new Set<string>();
    const visit = (selectionSet: SelectionSetNode | undefined) => {
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD) fields.set(selection.alias?.value ?? selection.name.value, selection.name.value);
        else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        else if (!followed.has(selection.name.value)) {
          followed.add(selection.name.value);
          visit(fragments.get(selection.name.value)?.selectionSet);
        }
      }
    };
    visit(definition.selectionSet);
    const names = [...fields.values()];
    largest.total = Math.max(largest.total, names.length);
    largest.public = Math.max(largest.public, names.filter((name) => PUBLIC_ROOT_FIELDS.has(name) || INTROSPECTION_ROOT_FIELDS.has(name)).length);
    largest.emailSending = Math.max(largest.emailSending, names.filter((name) => EMAIL_SENDING_ROOT_FIELDS.has(name)).length);
  }
  return largest;
}

/**
 * Checks run on every operation after it validated and before it executes: how many root
 * fields it selects, its cost against the complexity budget, then the client's rate limits,
 * charged one unit per public root field or alias (a request of 20 lookups is 20 lookups).
 * The depth limit is a validation rule (`validationRules`), so it runs earlier and is cached.
 */
export class OperationLimits {
  private readonly limiters = new Map<PublicRateLimitOptions, Limiter>();
  private readonly costs = new OperationCosts();
  private readonly selections = new WeakMap<DocumentNode, RootSelections>();
  readonly validationRules: ValidationRule[];

  constructor(private readonly options: OperationLimitOptions) {
    this.validationRules = [depthLimitRule(options.maxDepth)];
  }

  /** Mercurius `preExecution` hook. */
  readonly preExecution = async (
    schema: GraphQLSchema,
    document: DocumentNode,
    context: { app: FastifyInstance; reply?: FastifyReply },
    variables: Record<string, unknown> | undefined,
  ): Promise<void> => {
    const selected = this.checkRootFields(document);
    this.checkComplexity(schema, document, variables);
    if (context.reply) await this.checkRate(context.app, selected, context.reply.request, context.reply);
  };

  /**
   * Mercurius `preSubscriptionExecution` hook. Mercurius does not validate subscriptions
   * sent over WebSocket, so this does, with the same rules as queries. There is no
   * complexity check: the hook is not given the variables the cost depends on, and a
   * subscription has exactly one root field whose result (one case) the depth limit bounds.
   */
  readonly preSubscriptionExecution = async (
    schema: GraphQLSchema,
    document: DocumentNode,
    context: { app: FastifyInstance; request?: FastifyRequest },
  ): Promise<void> => {
    const [invalid] = validate(schema, document, [...specifiedRules, ...this.validationRules]);
    if (invalid) {
      throw invalid instanceof StatusApiError ? invalid : new StatusApiError('GRAPHQL_VALIDATION_FAILED', invalid.message, {}, 400);
    }
    const selected = this.checkRootFields(document);
    // Each change is answered with the subscription's selection: bound what it expands to.
    if (expandedFieldCount(document, MAX_QUERY_NODES) > MAX_QUERY_NODES) throw this.tooManyNodes();
    if (context.request) await this.checkRate(context.app, selected, context.request, undefined);
  };

  private checkRootFields(document: DocumentNode): RootSelections {
    let selected = this.selections.get(document);
    if (!selected) {
      selected = rootSelections(document);
      this.selections.set(document, selected);
    }
    const { maxRootFields } = this.options;
    if (selected.total > maxRootFields) {
      throw new StatusApiError(
        'TOO_MANY_ROOT_FIELDS',
        `The operation selects ${selected.total} root fields (aliases count one by one); the limit is ${maxRootFields}. Send fewer lookups per request.`,
        { rootFields: selected.total, maxRootFields },
        400,
      );
    }
    return selected;
  }

  private checkComplexity(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): void {
    let complexity: number;
    try {
      complexity = this.costs.cost(schema, document, variables);
    } catch (error) {
      if (!(error instanceof TooManyQueryNodes)) throw error;
      throw this.tooManyNodes();
    }
    if (complexity > this.options.maxComplexity) {
      throw new StatusApiError(
        'QUERY_TOO_COMPLEX',
        `The query costs ${complexity} points; the limit is ${this.options.maxComplexity}. Ask for fewer fields, fewer aliases or smaller pages (each case costs about as much as its fields, a history 10 more, a page of cases its size times a case).`,
        { complexity, maxComplexity: this.options.maxComplexity },
        400,
      );
    }
  }

  private tooManyNodes(): StatusApiError {
    return new StatusApiError(
      'QUERY_TOO_COMPLEX',
      `The query expands to more than ${MAX_QUERY_NODES} fields (a fragment counts each time it is spread); the limit is ${this.options.maxComplexity} points.`,
      { maxComplexity: this.options.maxComplexity },
      400,
    );
  }

  /**
   * Charges one use of a public HTTP route (the results CSV) to the client, through the same
   * store, client address and fallback as the GraphQL lookups. `limit` must be an object of the
   * route's own: its counts are kept apart by it and by `name`.
   */
  async chargeRoute(request: FastifyRequest, reply: FastifyReply, limit: PublicRateLimitOptions, name: string, what: string): Promise<void> {
    await this.check(request.server, limit, name, 1, request, reply, what);
  }

  private async checkRate(app: FastifyInstance, selected: RootSelections, request: FastifyRequest, reply: FastifyReply | undefined): Promise<void> {
    const { subscribeRateLimit, rateLimit } = this.options;
    // The stricter limit first, so a client refused there keeps its ordinary lookups.
    if (subscribeRateLimit !== false && selected.emailSending > 0) {
      await this.check(app, subscribeRateLimit, 'subscribe', selected.emailSending, request, reply, 'subscription requests');
    }
    if (rateLimit !== false && selected.public > 0) {
      await this.check(app, rateLimit, 'lookups', selected.public, request, reply, 'lookups');
    }
  }

  private async check(
    app: FastifyInstance,
    limit: PublicRateLimitOptions,
    name: string,
    units: number,
    request: FastifyRequest,
    reply: FastifyReply | undefined,
    what: string,
  ): Promise<void> {
    const verdicts = await this.take(app, limit, name, units, request);
    const verdict = verdicts.find((v) => !v.isAllowed && v.isExceeded);
    if (!verdict || verdict.isAllowed) return;
    reply?.header('retry-after', String(verdict.ttlInSeconds));
    throw new StatusApiError(
      'RATE_LIMITED',
      `Too many ${what} from this client: at most ${verdict.max} every ${Math.round(verdict.timeWindow / 1000)} seconds. Try again in ${verdict.ttlInSeconds} seconds.`,
      { retryAfterSeconds: verdict.ttlInSeconds },
      429,
    );
  }

  /** Counts `units` against the limit, in the shared store or, while it fails, in this instance. */
  private async take(app: FastifyInstance, limit: PublicRateLimitOptions, name: string, units: number, request: FastifyRequest): Promise<Verdict[]> {
    const limiter = this.limiterFor(app, limit, name);
    return Promise.all(Array.from({ length: units }, () => limiter(request)));
  }

  private limiterFor(app: FastifyInstance, limit: PublicRateLimitOptions, name: string): Limiter {
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      // Each limiter made by createRateLimit keeps its own counts in memory, but a Redis store
      // keys them all alike: the limit's name in the key keeps them apart there.
      const options = this.limiterOptions(limit, name);
      const shared = app.createRateLimit(options);
      limiter = this.options.sharedStore ? withLocalFallback(this.options.sharedStore, shared, options) : shared;
      this.limiters.set(limit, limiter);
    }
    return limiter;
  }

  private limiterOptions(limit: PublicRateLimitOptions, name: string) {
    const clientOf = limit.keyGenerator ?? this.options.clientOf;
    return { max: limit.max, timeWindow: limit.timeWindow, keyGenerator: (request: FastifyRequest) => `${name}:${clientOf(request)}` };
  }
}
