import { applyDecorators } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MAX_BATCH_SIZE, submissionJsonSchemas } from '@case-status/intake-contract';

type Schema = Record<string, unknown>;
const schemas = submissionJsonSchemas();
const strip = (schema: Schema): Schema => Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema'));

const problem: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable, `errors` names the offending fields as JSON pointers.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } },
    retryAfterSeconds: { type: 'integer', description: 'With 429 and 503: seconds to wait, as in the Retry-After header' },
  },
};

const recorded: Schema = {
  type: 'object',
  required: ['eventId', 'receiptNumber', 'streamId', 'streamRevision', 'position'],
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    receiptNumber: { type: 'string' },
    streamId: { type: 'string', example: 'case-USCIS-IOE0912345678' },
    streamRevision: { type: 'string', description: '0-based revision in the case stream (64-bit, as a decimal string)', example: '3' },
    position: { type: 'string', description: 'global position "<commit>:<prepare>"', example: '7431:1022' },
  },
};

const dataByType = Object.entries(schemas.dataByType)
  .map(([type, schema]) => `- \`${type}\`: \`${JSON.stringify(strip(schema as Schema)['properties'] ?? {})}\``)
  .join('\n');

const problemResponses = (...statuses: number[]) =>
  statuses.map((status) => ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status], content: { 'application/problem+json': { schema: problem } } }));

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  401: 'No valid agency token (UNAUTHENTICATED)',
  403: 'The token lacks the scope, or the case belongs to another agency (FORBIDDEN, OTHER_AGENCYS_CASE)',
  409: 'The lifecycle forbids the event now, the expected revision is stale, or the event id was used for something else (TRANSITION_FORBIDDEN, WRONG_EXPECTED_REVISION, EVENT_ID_REUSED, CONCURRENT_UPDATE)',
  413: `The body is over the size limit, or a batch has more than ${MAX_BATCH_SIZE} events (PAYLOAD_TOO_LARGE)`,
  422: 'The body does not match the contract; `errors` names each field (VALIDATION_FAILED, INVALID_RECEIPT_NUMBER)',
  429: 'Too many requests or events from the agency, or unverified tokens from the address; send again after `Retry-After` seconds (RATE_LIMITED)',
  503: 'The event store cannot be reached (a database restart); send again after `Retry-After` seconds with the same event ids (SERVICE_UNAVAILABLE)',
};

/** OpenAPI descriptions of the intake routes, generated from the same schemas that validate requests. */
export const IntakeApiDocs = {
  recordOne: () =>
    applyDecorators(
      ApiBearerAuth(),
      ApiOperation({
        summary: 'Record one lifecycle event of a case',
        description: `Idempotent by \`eventId\`: the same event submitted again gets the same answer (with header \`Idempotent-Replayed: true\`). \`data\` depends on \`type\`:\n${dataByType}`,
      }),
      ApiParam({ name: 'receiptNumber', example: 'IOE0912345678' }),
      ApiBody({ schema: strip(schemas.submission as Schema) }),
      ApiResponse({ status: 201, description: 'Recorded (or already recorded with the same content)', schema: recorded }),
      ...problemResponses(401, 403, 409, 413, 422, 429, 503),
    ),
  recordBatch: () =>
    applyDecorators(
      ApiBearerAuth(),
      ApiOperation({
        summary: `Record up to ${MAX_BATCH_SIZE} events across cases`,
        description: 'Each item is answered on its own, in order; an item refused never undoes another. Items of one case are applied in the order given.',
      }),
      ApiBody({ schema: { type: 'object', required: ['events'], properties: { events: { type: 'array', maxItems: MAX_BATCH_SIZE, items: strip(schemas.batchItem as Schema) } } } }),
      ApiResponse({
        status: 200,
        description: 'Per-item answers: status 201 with the recorded position, or a status and a problem',
        schema: {
          type: 'object',
          properties: {
            recorded: { type: 'integer' },
            refused: { type: 'integer' },
            results: { type: 'array', items: { oneOf: [{ ...recorded, properties: { ...(recorded['properties'] as Schema), index: { type: 'integer' }, status: { type: 'integer', enum: [201] } } }, { type: 'object', properties: { index: { type: 'integer' }, status: { type: 'integer' }, eventId: { type: 'string' }, receiptNumber: { type: 'string' }, problem } }] } },
          },
        },
      }),
      ...problemResponses(401, 403, 413, 422, 429, 503),
    ),
  listRefusals: () =>
    applyDecorators(
      ApiBearerAuth(),
      ApiOperation({ summary: "List the agency's refused submissions, newest first", description: 'Needs the `intake:read` scope. Page with `before` = the `next` of the previous page.' }),
      ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }),
      ApiQuery({ name: 'before', required: false, schema: { type: 'string' } }),
      ApiResponse({ status: 200, description: 'A page of refusals' }),
      ...problemResponses(401, 403, 422, 429),
    ),
};

/** Serves the document at /openapi.json and a browsable UI at /docs. */
export function setupIntakeOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Case status: agency intake API')
    .setDescription('Agency adjudication systems record case lifecycle events here. Event types and fields: docs/event-catalog.md.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
