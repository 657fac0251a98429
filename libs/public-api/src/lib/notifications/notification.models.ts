import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DELIVERY_STATUSES, type DeliveryActionEntry, type DeliveryChannel as DeliveryChannelValue, type DeliveryStatus as DeliveryStatusValue } from '@case-status/notifications';
import type { Language, PublicStatusCode } from '@case-status/case-domain';
import { CaseStatusCode, enumOf, LanguageEnum, PageInfo } from '../shared/shared.models';

/**
 * GraphQL types of email subscriptions, webhooks and the delivery log. Like the status
 * types they describe what the notifications lib returns; timestamps are ISO 8601 strings.
 */

const SubscriptionRequestStatus = enumOf(['confirmation_sent', 'already_active'] as const);
export const DeliveryChannel = enumOf<DeliveryChannelValue>(['email', 'webhook']);
export const DeliveryStatus = enumOf<DeliveryStatusValue>(DELIVERY_STATUSES);

registerEnumType(SubscriptionRequestStatus, {
  name: 'SubscriptionRequestStatus',
  description: 'CONFIRMATION_SENT: the request was taken; if this address can receive updates for this case and does not get them already, a code and a link are on their way.',
  valuesMap: { ALREADY_ACTIVE: { deprecationReason: 'Never answered: whether an address follows a case is told only to that address, by email.' } },
});
registerEnumType(DeliveryChannel, { name: 'DeliveryChannel' });
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'PENDING (queued or waiting for a retry), SENDING, DELIVERED, DEAD_LETTER_PENDING / DEAD_LETTERED (attempts used up), CANCELED (the subscriber left).',
});

@ObjectType({ description: 'The answer to subscribeToCase: the same for every address, whether it follows the case, is new, or asked too often.' })
export class CaseSubscriptionRequest {
  @Field(() => String, { nullable: true, deprecationReason: 'Always null: confirm the code with receiptNumber and email.' }) subscriptionId!: string | null;
  @Field(() => SubscriptionRequestStatus) status!: string;
  @Field({ description: 'What to expect, for people.' }) message!: string;
}

@ObjectType({ description: 'A confirmed email subscription.' })
export class ConfirmedSubscription {
  @Field() subscriptionId!: string;
  @Field() agency!: string;
  @Field() receiptNumber!: string;
  @Field(() => LanguageEnum) language!: Language;
  @Field({ description: 'False when it had been confirmed before.' }) confirmedNow!: boolean;
}

@ObjectType({ description: 'An ended email subscription; its address is erased.' })
export class EndedSubscription {
  @Field() subscriptionId!: string;
  @Field() agency!: string;
  @Field() receiptNumber!: string;
  @Field({ description: 'False when it had ended before.' }) unsubscribedNow!: boolean;
}

@ObjectType({ description: 'An endpoint that receives signed status-change webhooks. The secret is never shown again.' })
export class WebhookEndpoint {
  @Field() id!: string;
  @Field() agency!: string;
  @Field(() => String, { nullable: true, description: 'The case it watches; null: every case of the agency.' }) receiptNumber!: string | null;
  @Field() url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'ISO 8601.' }) createdAt!: string;
}

@ObjectType({ description: 'A newly registered endpoint with its signing secret, shown this once.' })
export class RegisteredWebhook extends WebhookEndpoint {
  @Field({ description: 'Standard Webhooks signing secret (`whsec_...`): verify every request with it. Keep it safe; it is not shown again.' })
  secret!: string;
}

@ObjectType({ description: 'One notification to one subscriber about one status change. No email address, no secret.' })
export class DeliveryEntry {
  @Field() id!: string;
  @Field({ description: 'The status change (CloudEvents id of case.status-changed.v1).' }) eventId!: string;
  @Field({ description: 'The email subscription or webhook endpoint it goes to.' }) subscriptionId!: string;
  @Field(() => DeliveryChannel) channel!: DeliveryChannelValue;
  @Field() agency!: string;
  @Field() receiptNumber!: string;
  @Field({ description: 'The lifecycle event behind the change, e.g. DecisionIssued.' }) eventType!: string;
  @Field(() => CaseStatusCode) statusCode!: PublicStatusCode;
  @Field(() => DeliveryStatus) status!: DeliveryStatusValue;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (addresses redacted).' }) lastError!: string | null;
  @Field() createdAt!: string;
  @Field() updatedAt!: string;
  @Field(() => String, { nullable: true, description: 'When it is tried next, while pending.' }) nextAttemptAt!: string | null;
  @Field(() => String, { nullable: true }) deliveredAt!: string | null;
  @Field(() => String, { nullable: true }) deadLetteredAt!: string | null;
}

@ObjectType({ description: 'A page of deliveries, newest first.' })
export class DeliveryConnection {
  @Field(() => [DeliveryEntry]) nodes!: DeliveryEntry[];
  @Field(() => PageInfo, { description: 'While hasNextPage, pass endCursor as `after` for the next page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'A webhook endpoint of the caseworker’s agency, as staff manage it: no secret (caseworkers only).' })
export class AgencyWebhook {
  @Field() id!: string;
  @Field() agency!: string;
  @Field(() => String, { nullable: true, description: 'Null: every case of the agency.' }) receiptNumber!: string | null;
  @Field() url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'Who registered it (the token’s subject).' }) owner!: string;
  @Field({ description: 'ISO 8601.' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'When it was paused (ISO 8601); null while it delivers.' }) pausedAt!: string | null;
  @Field(() => Int, { description: 'Its deliveries whose attempts ran out, waiting for a re-drive.' }) deadLettered!: number;
}

const DeliveryActionKind = enumOf<DeliveryActionEntry['action']>(['redrive', 'pause', 'resume']);
registerEnumType(DeliveryActionKind, { name: 'DeliveryActionKind', description: 'REDRIVE: dead letters put back in the queue; PAUSE, RESUME: a webhook endpoint.' });

@ObjectType({ description: 'A staff action on deliveries, as recorded: who, when, what (caseworkers only).' })
export class DeliveryAction {
  @Field() id!: string;
  @Field({ description: 'The signed-in staff member (the token’s subject).' }) actor!: string;
  @Field(() => DeliveryActionKind) action!: DeliveryActionEntry['action'];
  @Field(() => String, { nullable: true, description: 'The endpoint paused, resumed or re-driven whole.' }) endpointId!: string | null;
  @Field(() => [String], { description: 'The deliveries re-driven.' }) deliveryIds!: string[];
  @Field({ description: 'ISO 8601.' }) at!: string;
}

@ObjectType({ description: 'What a re-drive did.' })
export class RedriveResult {
  @Field(() => Int, { description: 'Dead letters put back in the queue; 0 when none was dead-lettered any more (already re-driven or delivered).' }) redriven!: number;
  @Field(() => DeliveryAction, { nullable: true, description: 'The recorded action; null when nothing was re-driven.' }) action!: DeliveryAction | null;
}
