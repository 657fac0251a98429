import { duration, port, text } from '@case-status/config';

/**
 * The settings of a service's health and metrics server (projector, relay, notifier):
 * `HEALTH_PORT` (0 picks a free one), `HEALTH_HOST` (default loopback; `0.0.0.0` for a
 * scraper on another host) and `READY_MAX_LAG`, how far behind the event store a
 * projection or the relay may be while it reads as ready.
 */
export function healthFields(defaultPort: number) {
  return {
    HEALTH_PORT: port(defaultPort),
    HEALTH_HOST: text('127.0.0.1'),
    READY_MAX_LAG: duration({ fallback: 30_000, min: 1, hint: 'how far behind the event store a part may be while ready, e.g. 30000' }),
  };
}
