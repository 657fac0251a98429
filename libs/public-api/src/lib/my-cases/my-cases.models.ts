import { Field, ObjectType } from '@nestjs/graphql';
import { CasePrivateDetails, CaseStatus } from '../lookup/case-status.models';

@ObjectType({ description: 'A case the signed-in person linked to their account with its online access code.' })
export class LinkedCase {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field({ description: 'When the person linked it (ISO 8601).' }) linkedAt!: string;
  @Field(() => CaseStatus, { nullable: true, description: 'Its public view; null while the case is not shown yet.' }) status!: CaseStatus | null;
  @Field(() => CasePrivateDetails, { nullable: true, description: 'Its private details; null while the case is not shown yet.' }) privateDetails!: CasePrivateDetails | null;
}
