import type { KeyValueStore } from '../../src/store/channel-store';

/** Where a case's message is in Slack: its channel and timestamp. */
export interface CaseMessageRef {
  channel: string;
  ts: string;
}

/**
 * The Slack message showing each case, kept in the Slack adapter's channel store (key
 * `case-message:<tracking id>`) so later changes update that message instead of posting again.
 *
 * @example
 * const messages = new CaseMessages(backend.channelStore.scope('slack'));
 * await messages.set('ADU-7K3M9Q', { channel: 'C0PUPR', ts: '1700000000.000100' });
 */
export class CaseMessages {
  constructor(private readonly data: KeyValueStore) {}

  async get(trackingId: string): Promise<CaseMessageRef | null> {
    const value = await this.data.get(key(trackingId));
    if (typeof value !== 'object' || value === null) return null;
    const { channel, ts } = value as Record<string, unknown>;
    return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : null;
  }

  async set(trackingId: string, ref: CaseMessageRef): Promise<void> {
    await this.data.put(key(trackingId), { channel: ref.channel, ts: ref.ts });
    // The way back, for messages officers write in the case message's thread.
    await this.data.put(threadKey(ref), trackingId);
  }

  /** The case whose message is `ref` (a thread's parent), or null. */
  async caseOf(ref: CaseMessageRef): Promise<string | null> {
    const value = await this.data.get(threadKey(ref));
    return typeof value === 'string' ? value : null;
  }
}

function threadKey(ref: CaseMessageRef): string {
  return `case-thread:${ref.channel}:${ref.ts}`;
}

function key(trackingId: string): string {
  return `case-message:${trackingId}`;
}
