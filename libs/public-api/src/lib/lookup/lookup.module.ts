import { Module } from '@nestjs/common';
import { CaseStatusResolver } from './case-status.resolver';

/** The public lookup: `caseStatus` by receipt number, with its plain-language history. */
@Module({ providers: [CaseStatusResolver] })
export class LookupModule {}
