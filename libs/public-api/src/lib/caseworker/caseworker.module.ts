import { Module } from '@nestjs/common';
import { CaseworkerResolver } from './caseworker.resolver';

/**
 * The caseworkers' queries (`backlog`, `cases`), for agency tokens with the `caseworker` role.
 * Its guards admit agency tokens wherever the API needs them (webhooks, delivery log, survey results).
 */
@Module({ providers: [CaseworkerResolver] })
export class CaseworkerModule {}
