import type { RecordedEvent } from '@case-status/event-store';
import type { RefusalRecord } from '@case-status/intake-contract';

/** One reason submissions were refused for: a problem code, and the field it was about when there was one. */
export interface RefusalReasonView {
  code: string;
  /** The first field the refusal named (a JSON pointer such as `/data/office`), or null. */
  field: string | null;
  count: number;
  lastRefusedAt: string;
  /** The latest refusal's own words. */
  example: string;
  /** The latest distinct receipt numbers refused for it (up to 5), to look into. */
  receiptNumbers: string[];
}

const RECEIPTS_KEPT = 5;

/**
 * Groups an agency's refused submissions (its refusal stream, newest first) received on or
 * after `since` by reason, the most frequent first, ties by the latest. A broken feed shows as
 * one reason with a large count, the same day.
 */
export function refusalReasons(newestFirst: readonly RecordedEvent[], since: Date): { total: number; reasons: RefusalReasonView[] } {
  const groups = new Map<string, RefusalReasonView>();
  let total = 0;
  for (const event of newestFirst) {
    const refusedAt = String(event.metadata['refusedAt']);
    if (!(Date.parse(refusedAt) >= since.getTime())) continue;
    const record = event.data as unknown as Omit<RefusalRecord, 'refusalId' | 'refusedAt'>;
    const field = record.errors?.[0]?.field ?? null;
    const key = `${record.code}\u0000${field ?? ''}`;
    total += 1;
    let group = groups.get(key);
    if (!group) {
      group = { code: record.code, field, count: 0, lastRefusedAt: refusedAt, example: record.errors?.[0]?.reason ?? record.detail, receiptNumbers: [] };
      groups.set(key, group);
    }
    group.count += 1;
    if (record.receiptNumber && group.receiptNumbers.length < RECEIPTS_KEPT && !group.receiptNumbers.includes(record.receiptNumber)) group.receiptNumbers.push(record.receiptNumber);
  }
  const reasons = [...groups.values()].sort((a, b) => b.count - a.count || b.lastRefusedAt.localeCompare(a.lastRefusedAt));
  return { total, reasons };
}
