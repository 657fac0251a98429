import { Controller, Get, Inject, Res, ServiceUnavailableException, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { checkReadiness, type HealthAnswer, type ReadinessCheck } from './readiness';

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  /** The process answers; never depends on the database. */
  @Get('live')
  @HealthCheck()
  live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    return this.answer(reply, []);
  }

  /** 200 when every check is up, else 503; the body names each check and its state. */
  @Get('ready')
  @HealthCheck()
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    return this.answer(
      reply,
      this.checks.map((check) => async (): Promise<HealthIndicatorResult> => {
        // The same runner as the other services' servers (timeout, errors without host names).
        const { [check.name]: state } = (await checkReadiness([check])).details;
        const { status, ...data } = state;
        const indicator = this.indicators.check(check.name);
        return status === 'up' ? indicator.up(data) : indicator.down(data);
      }),
    );
  }

  /** The 503 answer is terminus' own body, not turned into the app's error format by its exception filter. */
  private async answer(reply: FastifyReply, indicators: Parameters<HealthCheckService['check']>[0]): Promise<HealthAnswer> {
    reply.header('cache-control', 'no-store');
    try {
      return (await this.health.check(indicators)) as HealthAnswer;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthAnswer;
    }
  }
}

/**
 * `/health/live` and `/health/ready` for a Nest app, through `@nestjs/terminus`: the same paths
 * and body as `startOpsServer`. Spread into the app's root module; `checks` may be made from the
 * module's own providers (e.g. the event store).
 */
export function healthEndpoints(
  checks: readonly ReadinessCheck[] | Omit<FactoryProvider<readonly ReadinessCheck[]>, 'provide'>,
): Required<Pick<ModuleMetadata, 'imports' | 'controllers'>> & { providers: Provider[] } {
  return {
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [Array.isArray(checks) ? { provide: READINESS_CHECKS, useValue: checks } : { ...(checks as Omit<FactoryProvider, 'provide'>), provide: READINESS_CHECKS }],
  };
}
