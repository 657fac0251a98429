import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestLoggerService } from '@case-status/logging';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { fastifyTrustProxy, instrumentHttp, registerLiveness, registerSecurityHeaders, traceHttp, type TrustedProxies } from '@case-status/http-support';
import { isGraphqlConsolePage, registerGraphqlConsole } from './console/graphql-console';
import { PublicApiModule } from './public-api.module';
import type { PublicApiModuleOptions } from './public-api.options';

export interface StatusAppOptions extends PublicApiModuleOptions {
  /** Nest's log: `false` for none, the levels to print on Nest's console (default error, warn and log), or our logger (one format for every line). */
  logger?: boolean | LogLevel[] | NestLoggerService;
  /**
   * The proxies in front whose X-Forwarded-For is believed (Fastify's `trustProxy`): their
   * number (hops) or their addresses/CIDRs. Default none. Never `true`: it would believe
   * anyone's header, so every client could choose its own address and escape the limits.
   */
  trustProxy?: TrustedProxies;
}

/** The status API exactly as it is deployed; tests start this same thing. */
export async function createStatusApp(options: StatusAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    PublicApiModule.forRoot(options),
    new FastifyAdapter({ trustProxy: fastifyTrustProxy(options.trustProxy) }),
    { logger: options.logger === false ? false : typeof options.logger === 'object' ? options.logger : ['error', 'warn', 'log'] },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const graphiql = options.graphiql ?? process.env['NODE_ENV'] !== 'production';
  // Answers name a case or carry a caseworker's data; the public CSV sets its own caching.
  await registerSecurityHeaders(fastify, { ...(graphiql && { isPage: isGraphqlConsolePage }), defaultCacheControl: 'no-store' });
  if (graphiql) registerGraphqlConsole(fastify);
  // Only liveness here: readiness and `/metrics` are on the operations server (startStatusApi's `ops`).
  registerLiveness(fastify);
  if (options.metrics) instrumentHttp(fastify, options.metrics, 'status');
  traceHttp(fastify, 'status');
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
