import { Module } from '@nestjs/common';
import { CaseStatusChangeBroadcaster, CaseStatusChangedResolver } from './case-status-changed';

/** Live updates: the `caseStatusChanged` subscription over graphql-ws, fed by the read side's change feed. */
@Module({ providers: [CaseStatusChangeBroadcaster, CaseStatusChangedResolver], exports: [CaseStatusChangeBroadcaster] })
export class LiveUpdatesModule {}
