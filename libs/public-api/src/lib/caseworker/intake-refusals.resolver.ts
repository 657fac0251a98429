import { Inject, UseGuards } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { refusalStreamId } from '@case-status/intake-contract';
import { checkIntegerInRange } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { CASE_EVENTS, type CaseEventSource } from './case-events.resolver';
import { CaseworkerGuard, CurrentCaseworker } from './caseworker.guard';
import { IntakeRefusals } from './caseworker.models';
import { refusalReasons } from './intake-refusals';

const MAX_DAYS = 90;
/** The most refusals one answer reads: a feed refused thousands of times a day is already plain. */
const MAX_READ = 5_000;

/**
 * What the agency's systems sent that intake refused, grouped by reason, from the refusal log
 * intake keeps in the event store: the token's agency's stream only.
 */
@Resolver()
@UseGuards(CaseworkerGuard)
export class IntakeRefusalsResolver {
  constructor(
    @Inject(CASE_EVENTS) private readonly events: CaseEventSource | null,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  @Query(() => IntakeRefusals, {
    nullable: true,
    description: 'Submissions of the caseworker’s agency that intake refused in the last `days` days (1 to 90), grouped by reason, most frequent first. Caseworkers only.',
    complexity: 100,
  })
  async intakeRefusals(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('days', { type: () => Int, defaultValue: 7 }) days: number): Promise<IntakeRefusals> {
    checkIntegerInRange(days, 1, MAX_DAYS, 'days');
    if (!this.events) throw new StatusApiError('CASE_RECORD_UNAVAILABLE', 'This server has no access to the event store: the intake refusal log is not available here.');
    const since = new Date(this.settings.clock().getTime() - days * 86_400_000);
    const newestFirst = await this.events.readStream(refusalStreamId(caseworker.agency.code), { direction: 'backwards', maxCount: MAX_READ });
    const oldestRead = newestFirst.at(-1);
    const truncated = newestFirst.length === MAX_READ && oldestRead !== undefined && Date.parse(String(oldestRead.metadata['refusedAt'])) >= since.getTime();
    return { since: since.toISOString(), truncated, ...refusalReasons(newestFirst, since) };
  }
}
