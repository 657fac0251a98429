import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SharedRateLimitStore } from '@case-status/http-support';

/** The shared rate-limit store: waited for at start (see SharedRateLimitStore), closed at shutdown. */
@Injectable()
export class RateLimitStoreConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SharedRateLimitStore) private readonly store: SharedRateLimitStore) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ready();
  }

  onApplicationShutdown(): void {
    this.store.close();
  }
}
