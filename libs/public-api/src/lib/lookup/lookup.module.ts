import { Module } from '@nestjs/common';
import { CasePrivateDetailsResolver } from './case-private-details.resolver';
import { CaseStatusResolver } from './case-status.resolver';

/**
 * The lookup: `caseStatus` by receipt number, the public view with its plain-language
 * history; `casePrivateDetails`, the private details, for authorised readers only.
 */
@Module({ providers: [CaseStatusResolver, CasePrivateDetailsResolver] })
export class LookupModule {}
