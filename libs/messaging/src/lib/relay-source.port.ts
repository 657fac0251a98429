/**
 * What the relay needs from the event store, declared in the relay's terms because an adapter
 * lib may not depend on another adapter (libs/event-store). `EventStore` from
 * @case-status/event-store satisfies it as is; the app passes one in.
 */
export interface SourcePosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface SourceEvent {
  id: string;
  streamId: string;
  /** 0-based position in its stream. */
  revision: bigint;
  position: SourcePosition;
  type: string;
  data: { [key: string]: unknown };
  metadata: { [key: string]: unknown };
  recordedAt: Date;
}

export interface SourceSubscription {
  stop(): Promise<void>;
  readonly closed: Promise<void>;
}

export interface RelaySource {
  /** Events of one stream, oldest first. */
  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<SourceEvent[]>;
  /** Every event after `after`, in global order, one handler call at a time; never skips one. */
  subscribeToAll(handler: (event: SourceEvent) => Promise<void>, options?: { after?: SourcePosition; streamPrefixes?: string[] }): SourceSubscription;
}

export const CASE_STREAM_PREFIX = 'case-';

/** `<commit>:<prepare>`, the event store's `formatPosition`: checkpoints read the same everywhere. */
export function formatPosition(position: SourcePosition): string {
  return `${position.commit}:${position.prepare}`;
}

export function parsePosition(text: string): SourcePosition {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  if (!match) throw new TypeError(`not a global position: "${text}" (expected "<commit>:<prepare>")`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export function comparePositions(a: SourcePosition, b: SourcePosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
