import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestLoggerService } from '@case-status/logging';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { fastifyTrustProxy, instrumentHttp, registerLiveness, registerSecurityHeaders, traceHttp, type TrustedProxies } from '@case-status/http-support';
import type { AgencyTokenVerifier } from '@case-status/agency-auth';
import { INTAKE_TOKEN_VERIFIER } from './agency-auth';
import { IntakeModule, type IntakeModuleOptions } from './intake.module';
import { setupIntakeOpenApi } from './intake.openapi';
import { registerIntakeRateLimit, type IntakeRateLimitOptions } from './intake-rate-limit';

/** A full batch of 500 events fits with room to spare; anything larger is refused with 413. */
const INTAKE_BODY_LIMIT = 2 * 1024 * 1024;

export interface IntakeAppOptions extends IntakeModuleOptions {
  /** Nest's log: `false` for none, the levels to print on Nest's console (default error, warn and log), or our logger (one format for every line). */
  logger?: boolean | LogLevel[] | NestLoggerService;
  /** Per-agency and per-address limits; the defaults (in memory) without it, none with `false`. */
  rateLimit?: IntakeRateLimitOptions | false;
  /** The proxies in front whose X-Forwarded-For is believed (their number or addresses), so the per-address limit counts clients, not the proxy. */
  trustProxy?: TrustedProxies;
}

/** The intake HTTP application exactly as it is deployed; tests start this same thing. */
export async function createIntakeApp(options: IntakeAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    IntakeModule.forRoot(options),
    new FastifyAdapter({ bodyLimit: INTAKE_BODY_LIMIT, trustProxy: fastifyTrustProxy(options.trustProxy) }),
    { logger: options.logger === false ? false : typeof options.logger === 'object' ? options.logger : ['error', 'warn', 'log'] },
  );
  try {
    // Only JSON bodies: anything else is answered 415 rather than parsed as a string.
    app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
    // Answers are agencies' case data; only the browsable API docs (/docs) are a page, whose
    // Swagger UI sets inline styles (its scripts still come from this server only).
    await registerSecurityHeaders(app.getHttpAdapter().getInstance(), {
      isPage: (path) => path === '/docs' || path.startsWith('/docs/'),
      pageCsp: { 'style-src': ["'self'", "'unsafe-inline'"] },
      defaultCacheControl: 'no-store',
    });
    // Only liveness here: readiness and `/metrics` are on the operations server (startIntakeApi's `ops`).
    registerLiveness(app.getHttpAdapter().getInstance());
    if (options.metrics) instrumentHttp(app.getHttpAdapter().getInstance(), options.metrics, 'intake');
    traceHttp(app.getHttpAdapter().getInstance(), 'intake');
    if (options.rateLimit !== false) {
      await registerIntakeRateLimit(app, app.get<AgencyTokenVerifier>(INTAKE_TOKEN_VERIFIER), options.rateLimit ?? {});
    }
    setupIntakeOpenApi(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
