import type { MercuriusContext, onResolutionHookHandler, preExecutionHookHandler } from 'mercurius';
import { BoundedLabel, LATENCY_BUCKETS, type Metrics } from '@case-status/http-support';

const STARTED = Symbol('graphqlOperationStarted');
const OPERATION = Symbol('graphqlOperationName');

interface MeasuredContext {
  [STARTED]?: (labels: { operation: string; type: string; outcome: string }) => number;
  [OPERATION]?: string;
}

/**
 * Mercurius hooks that count executed operations by name and outcome (`ok`, or the first error's
 * code: `NOT_FOUND`, `RATE_LIMITED`, ...), with their duration. Names come from clients, so only
 * the first 100 distinct ones get a series of their own (`BoundedLabel`); outcomes are the API's
 * own codes. Documents refused before execution (too long, invalid) are in the HTTP metrics.
 */
export function graphqlMetricsHooks(metrics: Metrics): { preExecution: preExecutionHookHandler<MercuriusContext>; onResolution: onResolutionHookHandler<MercuriusContext> } {
  const operations = metrics.histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations executed, by operation name, type and outcome (ok or the first error code), with their duration.',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: LATENCY_BUCKETS,
  });
  const names = new BoundedLabel(100);
  return {
    preExecution: async (_schema, document, context) => {
      const measured = context as MercuriusContext & MeasuredContext;
      const definitions = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
      const requested = (context.reply.request.body as { operationName?: unknown } | undefined)?.operationName;
      const operation = definitions.length === 1 ? definitions[0] : definitions.find((definition) => definition.name?.value === requested);
      measured[OPERATION] = `${operation?.operation ?? 'query'}\u0000${operation?.name?.value ?? ''}`;
      measured[STARTED] = operations.startTimer();
    },
    onResolution: async (execution, context) => {
      const measured = context as MercuriusContext & MeasuredContext;
      const end = measured[STARTED];
      if (!end) return;
      const [type, name] = (measured[OPERATION] ?? 'query\u0000').split('\u0000');
      const code = execution.errors?.[0]?.extensions?.['code'];
      const outcome = !execution.errors?.length ? 'ok' : typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'error';
      end({ operation: names.of(name), type, outcome });
    },
  };
}
