import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { depthLimitRule } from './depth-limit.rule';
import { OperationCosts } from './operation-cost';
import { fieldNamesIn } from './selected-fields';
import { StatusApiError } from './status-errors';

/** Root fields anyone may call; they are what the per-client rate limit counts. */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'caseStatus',
  'processingTimes',
  'caseStatusChanged',
  'subscribeToCase',
  'confirmSubscription',
  'confirmSubscriptionCode',
  'unsubscribe',
  'feedbackSurvey',
  'submitFeedback',
  'feedbackResults',
]);

/** Public root fields that send an email: counted again, against the stricter subscribe limit. */
export const EMAIL_SENDING_ROOT_FIELDS: ReadonlySet<string> = new Set(['subscribeToCase']);

export interface PublicRateLimitOptions {
  /** Public operations a client may run per window. */
  max: number;
  /** Milliseconds, or a duration string such as `'1 minute'`. */
  timeWindow: number | string;
  /** Who a client is; by default its IP address (behind a proxy, configure Fastify's `trustProxy`). */
  keyGenerator?: (request: FastifyRequest) => string;
}

export interface OperationLimitOptions {
  maxDepth: number;
  maxComplexity: number;
  rateLimit: PublicRateLimitOptions | false;
  subscribeRateLimit: PublicRateLimitOptions | false;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** The names of the root fields the document selects, through fragments too. */
export function rootFieldNames(document: DocumentNode): Set<string> {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const operations = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.selectionSet] : []));
  return fieldNamesIn(operations, (name) => fragments.get(name));
}

/**
 * Checks run on every operation after it validated and before it executes: its cost against
 * the complexity budget, then, when it asks for public data, the client's rate limit. The
 * depth limit is a validation rule (`validationRules`), so it runs earlier and is cached.
 */
export class OperationLimits {
  private readonly limiters = new Map<PublicRateLimitOptions, Limiter>();
  private readonly costs = new OperationCosts();
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
    this.checkComplexity(schema, document, variables);
    if (context.reply) await this.checkRate(context.app, document, context.reply.request, context.reply);
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
    if (context.request) await this.checkRate(context.app, document, context.request, undefined);
  };

  private checkComplexity(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined): void {
    const complexity = this.costs.cost(schema, document, variables);
    if (complexity > this.options.maxComplexity) {
      throw new StatusApiError(
        'QUERY_TOO_COMPLEX',
        `The query costs ${complexity} points; the limit is ${this.options.maxComplexity}. Ask for fewer fields, fewer aliases or smaller pages (each case costs about as much as its fields, a history 10 more, a page of cases its size times a case).`,
        { complexity, maxComplexity: this.options.maxComplexity },
        400,
      );
    }
  }

  private async checkRate(app: FastifyInstance, document: DocumentNode, request: FastifyRequest, reply: FastifyReply | undefined): Promise<void> {
    const fields = [...rootFieldNames(document)];
    const { subscribeRateLimit, rateLimit } = this.options;
    // The stricter limit first, so a client refused there keeps its ordinary lookups.
    if (subscribeRateLimit !== false && fields.some((name) => EMAIL_SENDING_ROOT_FIELDS.has(name))) {
      await this.check(app, subscribeRateLimit, request, reply, 'subscription requests');
    }
    if (rateLimit !== false && fields.some((name) => PUBLIC_ROOT_FIELDS.has(name))) {
      await this.check(app, rateLimit, request, reply, 'lookups');
    }
  }

  private async check(app: FastifyInstance, limit: PublicRateLimitOptions, request: FastifyRequest, reply: FastifyReply | undefined, what: string): Promise<void> {
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      // Each limiter made by createRateLimit keeps its own counts.
      limiter = app.createRateLimit({
        max: limit.max,
        timeWindow: limit.timeWindow,
        ...(limit.keyGenerator ? { keyGenerator: limit.keyGenerator } : {}),
      });
      this.limiters.set(limit, limiter);
    }
    const verdict = await limiter(request);
    if (verdict.isAllowed || !verdict.isExceeded) return;
    reply?.header('retry-after', String(verdict.ttlInSeconds));
    throw new StatusApiError(
      'RATE_LIMITED',
      `Too many ${what} from this client: at most ${verdict.max} every ${Math.round(verdict.timeWindow / 1000)} seconds. Try again in ${verdict.ttlInSeconds} seconds.`,
      { retryAfterSeconds: verdict.ttlInSeconds },
      429,
    );
  }
}
