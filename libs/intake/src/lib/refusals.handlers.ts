import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RefusalLog, type Refusal } from './refusal-log';

/** Keeps the refused submissions of one request for the agency to audit. */
export class RecordRefusals extends Command<void> {
  constructor(
    readonly agencyCode: string,
    /** The agency system that sent them (the token's subject). */
    readonly submittedBy: string,
    readonly refusals: readonly Refusal[],
  ) {
    super();
  }
}

@CommandHandler(RecordRefusals)
export class RecordRefusalsHandler implements ICommandHandler<RecordRefusals> {
  constructor(private readonly log: RefusalLog) {}

  execute({ agencyCode, submittedBy, refusals }: RecordRefusals): Promise<void> {
    return this.log.record(agencyCode, submittedBy, [...refusals]);
  }
}

type RefusalPage = Awaited<ReturnType<RefusalLog['list']>>;

/** One agency's refusals, newest first; `before` is a sequence number from an earlier page. */
export class ListRefusals extends Query<RefusalPage> {
  constructor(
    readonly agencyCode: string,
    readonly limit: number,
    readonly before?: bigint,
  ) {
    super();
  }
}

@QueryHandler(ListRefusals)
export class ListRefusalsHandler implements IQueryHandler<ListRefusals> {
  constructor(private readonly log: RefusalLog) {}

  execute({ agencyCode, limit, before }: ListRefusals): Promise<RefusalPage> {
    return this.log.list(agencyCode, { limit, before });
  }
}
