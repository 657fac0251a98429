import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IntakeModule, type IntakeModuleOptions } from './intake.module';
import { setupIntakeOpenApi } from './intake.openapi';

/** A full batch of 500 events fits with room to spare; anything larger is refused with 413. */
export const INTAKE_BODY_LIMIT = 2 * 1024 * 1024;

/** The intake HTTP application exactly as it is deployed; tests start this same thing. */
export async function createIntakeApp(options: IntakeModuleOptions & { logger?: boolean }): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    IntakeModule.forRoot(options),
    new FastifyAdapter({ bodyLimit: INTAKE_BODY_LIMIT }),
    { logger: options.logger === false ? false : ['error', 'warn', 'log'] },
  );
  // Only JSON bodies: anything else is answered 415 rather than parsed as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
  setupIntakeOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
