import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import {
  MAX_BATCH_SIZE,
  parseBatchItem,
  parseSubmission,
  type BatchAnswer,
  type BatchItemAnswer,
  type RecordedAnswer,
  type Submission,
} from '@case-status/intake-contract';
import { AgencyAuthGuard, principalOf, type AgencyPrincipal } from './agency-auth';
import { IntakeProblem, validationFailed } from './intake-problem';
import { RecordBatchEvents, RecordCaseEvents, type ItemOutcome } from './record-case-events.handler';
import type { Refusal } from './refusal-log';
import { ListRefusals, RecordRefusals } from './refusals.handlers';
import { IntakeApiDocs } from './intake.openapi';

type AuthedRequest = Parameters<typeof principalOf>[0];

@Controller('v1')
@UseGuards(AgencyAuthGuard)
export class IntakeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('cases/:receiptNumber/events')
  @HttpCode(201)
  @IntakeApiDocs.recordOne()
  async recordOne(
    @Param('receiptNumber') receiptNumber: string,
    @Body() body: unknown,
    @Req() request: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedAnswer> {
    const principal = principalOf(request, 'intake:write');
    const submitted = body && typeof body === 'object' ? { receiptNumber, ...body } : body;
    const parsed = parseSubmission(body);
    const outcome: ItemOutcome = parsed.ok
      ? (await this.record(principal, receiptNumber, [parsed.submission]))[0]
      : { ok: false, problem: validationFailed(parsed.errors) };
    if (!outcome.ok) {
      await this.commands.execute(new RecordRefusals(principal.agency.code, principal.subject, [{ submitted, problem: outcome.problem.toProblem() }]));
      throw outcome.problem;
    }
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return outcome.answer;
  }

  @Post('events/batch')
  @HttpCode(200)
  @IntakeApiDocs.recordBatch()
  async recordBatch(@Body() body: unknown, @Req() request: AuthedRequest): Promise<BatchAnswer> {
    const principal = principalOf(request, 'intake:write');
    const items = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(items) || items.length === 0) {
      throw validationFailed([{ field: '/events', reason: `must be an array of 1 to ${MAX_BATCH_SIZE} events` }]);
    }
    if (items.length > MAX_BATCH_SIZE) {
      throw new IntakeProblem(413, 'PAYLOAD_TOO_LARGE', `a batch holds at most ${MAX_BATCH_SIZE} events; this one has ${items.length}`);
    }

    const results: BatchItemAnswer[] = new Array(items.length);
    const byCase = new Map<string, { index: number; submission: Submission }[]>();
    items.forEach((item, index) => {
      const parsed = parseBatchItem(item);
      if (!parsed.ok || parsed.receiptNumber === undefined) {
        results[index] = refused(index, item, validationFailed(parsed.ok ? [] : parsed.errors));
        return;
      }
      const group = byCase.get(parsed.receiptNumber) ?? [];
      group.push({ index, submission: parsed.submission });
      byCase.set(parsed.receiptNumber, group);
    });

    // The cases are appended together; a refused or conflicting case never holds back another (see RecordBatchEvents).
    const cases = [...byCase];
    const outcomesByCase = await this.commands.execute(
      new RecordBatchEvents(principal.agency, cases.map(([receiptNumber, group]) => ({ receiptNumber, submissions: group.map((g) => g.submission) })), principal.subject),
    );
    cases.forEach(([, group], c) => {
      group.forEach(({ index }, i) => {
        const outcome = outcomesByCase[c][i];
        results[index] = outcome.ok ? { index, status: 201, ...outcome.answer } : refused(index, items[index], outcome.problem);
      });
    });

    const refusals: Refusal[] = results.flatMap((r) => ('problem' in r ? [{ submitted: items[r.index], problem: r.problem }] : []));
    await this.commands.execute(new RecordRefusals(principal.agency.code, principal.subject, refusals));
    return { recorded: results.length - refusals.length, refused: refusals.length, results };
  }

  @Get('refusals')
  @IntakeApiDocs.listRefusals()
  async listRefusals(@Req() request: AuthedRequest, @Query('limit') limitText?: string, @Query('before') beforeText?: string) {
    const principal = principalOf(request, 'intake:read');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw validationFailed([{ field: 'limit', reason: 'must be an integer from 1 to 500' }]);
    }
    if (beforeText !== undefined && !/^\d{1,19}$/.test(beforeText)) {
      throw validationFailed([{ field: 'before', reason: 'must be the "next" value of an earlier page' }]);
    }
    return this.queries.execute(new ListRefusals(principal.agency.code, limit, beforeText === undefined ? undefined : BigInt(beforeText)));
  }

  private record(principal: AgencyPrincipal, receiptNumber: string, submissions: Submission[]): Promise<ItemOutcome[]> {
    return this.commands.execute(new RecordCaseEvents(principal.agency, receiptNumber, submissions, principal.subject));
  }
}

function refused(index: number, item: unknown, problem: IntakeProblem): BatchItemAnswer {
  const { eventId, receiptNumber } = (item && typeof item === 'object' ? item : {}) as { eventId?: unknown; receiptNumber?: unknown };
  return {
    index,
    status: problem.status,
    ...(typeof eventId === 'string' ? { eventId } : {}),
    ...(typeof receiptNumber === 'string' ? { receiptNumber } : {}),
    problem: problem.toProblem(),
  };
}
