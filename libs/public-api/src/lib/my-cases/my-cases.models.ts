import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CasePrivateDetails, CaseStatus } from '../lookup/case-status.models';

@ObjectType({ description: 'A case the signed-in person linked to their account with its online access code.' })
export class LinkedCase {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field({ description: 'When the person linked it (ISO 8601).' }) linkedAt!: string;
  @Field(() => CaseStatus, { nullable: true, description: 'Its public view; null while the case is not shown yet.' }) status!: CaseStatus | null;
  @Field(() => CasePrivateDetails, { nullable: true, description: 'Its private details; null while the case is not shown yet.' }) privateDetails!: CasePrivateDetails | null;
}

export enum RepresentativeKind {
  ATTORNEY = 'attorney',
  ACCREDITED_REPRESENTATIVE = 'accredited_representative',
}
registerEnumType(RepresentativeKind, { name: 'RepresentativeKind', description: 'How a representative of record is qualified (as on a G-28).' });

@ObjectType({ description: 'A case the signed-in person is a representative of record on, as the agency sent it.' })
export class ClientCase {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field(() => RepresentativeKind, { description: 'As what the agency has them of record.' }) representativeKind!: RepresentativeKind;
  @Field({ description: 'The first day they are of record (ISO 8601 date).' }) ofRecordSince!: string;
  @Field(() => CaseStatus, { nullable: true, description: 'Its public view; null while the case is not shown yet.' }) status!: CaseStatus | null;
  @Field(() => CasePrivateDetails, { nullable: true, description: 'Its private details; null while the case is not shown yet.' }) privateDetails!: CasePrivateDetails | null;
}
