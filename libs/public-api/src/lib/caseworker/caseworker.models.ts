import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { PublicStatusCode } from '@case-status/case-domain';
import { CaseStatus } from '../lookup/case-status.models';
import { CaseStatusCode, PageInfo } from '../shared/shared.models';

/** The GraphQL types of the caseworkers' backlog and case list. */

@ObjectType({ description: 'Pending cases by age since receipt.' })
export class BacklogAging {
  @Field(() => Int, { description: '0 to 30 days.' }) upTo30!: number;
  @Field(() => Int, { description: '31 to 90 days.' }) upTo90!: number;
  @Field(() => Int, { description: '91 to 180 days.' }) upTo180!: number;
  @Field(() => Int, { description: '181 to 365 days.' }) upTo365!: number;
  @Field(() => Int, { description: 'More than 365 days.' }) over365!: number;
}

@ObjectType({ description: 'Pending cases of one form type at one office (caseworkers only).' })
export class BacklogRow {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field() office!: string;
  @Field(() => Int) pendingCount!: number;
  @Field(() => BacklogAging) aging!: BacklogAging;
  @Field(() => String, { nullable: true, description: 'Receipt time of the oldest pending case (ISO 8601).' }) oldestReceivedAt!: string | null;
}

@InputType({ description: 'Which cases to list. The agency defaults to, and must be, the caseworker’s own.' })
export class CaseFilter {
  @Field({ nullable: true }) agency?: string;
  @Field({ nullable: true }) formType?: string;
  @Field({ nullable: true }) office?: string;
  @Field(() => CaseStatusCode, { nullable: true }) statusCode?: PublicStatusCode;
  @Field({ nullable: true, description: 'true: only cases still waiting for a decision (the backlog); false: only the others.' }) pending?: boolean;
  @Field({ nullable: true, description: 'Received at or after: YYYY-MM-DD or ISO 8601 timestamp.' }) receivedFrom?: string;
  @Field({ nullable: true, description: 'Received before: YYYY-MM-DD or ISO 8601 timestamp.' }) receivedTo?: string;
}

@ObjectType()
export class CaseEdge {
  @Field({ description: 'Opaque; pass it as `after` to continue after this case.' }) cursor!: string;
  @Field(() => CaseStatus) node!: CaseStatus;
}

@ObjectType({ description: 'A page of cases, oldest receipt first (Relay connection).' })
export class CaseConnection {
  @Field(() => [CaseEdge]) edges!: CaseEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'Cases received and decided in one ISO week (caseworkers only).' })
export class WeeklyFlow {
  @Field({ description: 'ISO 8601 week, e.g. 2026-W02.' }) week!: string;
  @Field({ description: 'Its Monday, YYYY-MM-DD.' }) weekStart!: string;
  @Field(() => Int) received!: number;
  @Field(() => Int) decided!: number;
}

@ObjectType({ description: 'A pending case at its status longer than 9 in 10 cases like it stayed there (caseworkers only).' })
export class StaleCase {
  @Field() receiptNumber!: string;
  @Field() formType!: string;
  @Field() office!: string;
  @Field(() => CaseStatusCode) statusCode!: PublicStatusCode;
  @Field({ description: 'When the case reached its status (ISO 8601).' }) stepSince!: string;
  @Field(() => Int) daysAtStep!: number;
  @Field(() => Int, { description: 'Median days cases of the same form and office stayed at this status.' }) usualMedianDays!: number;
  @Field(() => Int, { description: '90th percentile of the same.' }) usualP90Days!: number;
  @Field(() => Int, { description: 'How many stays the usual figures come from.' }) sampleSize!: number;
  @Field(() => Float, { description: 'daysAtStep over usualMedianDays; the list is ordered by it, most unusual first.' }) timesUsual!: number;
}

@ObjectType({ description: 'One stored event of a case, public or not, as the event store holds it (caseworkers of its agency only).' })
export class CaseEventRecord {
  @Field(() => Int, { description: '0-based position in the case’s stream.' }) revision!: number;
  @Field() type!: string;
  @Field(() => String, { nullable: true, description: 'When it happened (ISO 8601), as the agency said.' }) occurredAt!: string | null;
  @Field({ description: 'When the platform stored it (ISO 8601).' }) recordedAt!: string;
  @Field({ description: 'The event’s data as JSON; an access code hash reads "[not kept]".' }) data!: string;
  @Field({ description: 'The event’s metadata as JSON (who sent it, correlation).' }) metadata!: string;
}

@ObjectType({ description: 'Submissions refused for one reason (caseworkers only).' })
export class IntakeRefusalReason {
  @Field({ description: 'The problem code intake answered, e.g. INVALID_VALUE.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'The first field the refusal named (JSON pointer), or null.' }) field!: string | null;
  @Field(() => Int) count!: number;
  @Field({ description: 'ISO 8601.' }) lastRefusedAt!: string;
  @Field({ description: 'The latest refusal’s own words.' }) example!: string;
  @Field(() => [String], { description: 'The latest distinct receipt numbers refused for it (up to 5).' }) receiptNumbers!: string[];
}

@ObjectType({ description: 'What the agency’s systems sent that intake refused, grouped by reason (caseworkers only).' })
export class IntakeRefusals {
  @Field({ description: 'Refusals from this instant on are counted (ISO 8601).' }) since!: string;
  @Field(() => Int) total!: number;
  @Field({ description: 'True when more refusals than the 5,000 read came in the window: the counts are of the latest 5,000.' }) truncated!: boolean;
  @Field(() => [IntakeRefusalReason], { description: 'Most frequent first.' }) reasons!: IntakeRefusalReason[];
}
