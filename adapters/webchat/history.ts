import { materialize } from './activities';
import type { ConversationHub } from './hub';
import type { NewChatActivity, WebChatStore } from './store';

/** One page of a conversation for a client: activities after a watermark, and the new watermark. */
export interface ActivityPage {
  activities: Record<string, unknown>[];
  /** The watermark of the last activity listed (the one asked for when there is none). */
  watermark: number;
}

/** Activities per page (polling answer, WebSocket set). */
export const PAGE_SIZE = 100;

/**
 * A conversation's stored history (the store's watermark sequence) plus the live hub: every
 * append pokes the open sockets of that conversation.
 */
export class ConversationHistory {
  constructor(
    private readonly chats: WebChatStore,
    private readonly hub: ConversationHub,
    private readonly clock: () => Date,
  ) {}

  /** Stores activities (idempotent by key) and wakes the conversation's sockets. */
  async append(conversationId: string, items: NewChatActivity[]): Promise<number[]> {
    const watermarks = await this.chats.append(conversationId, items, this.clock());
    this.hub.poke(conversationId);
    return watermarks;
  }

  /**
   * Activities after `after`. A watermark beyond the newest activity counts as the newest one,
   * so a client with a bogus watermark still gets what comes next.
   */
  async page(conversationId: string, after: number, limit = PAGE_SIZE): Promise<ActivityPage> {
    const last = await this.chats.lastWatermark(conversationId);
    const from = Math.min(after, last);
    const stored = await this.chats.list(conversationId, { after: from, limit });
    return {
      activities: stored.map(materialize),
      watermark: stored.at(-1)?.watermark ?? from,
    };
  }
}

/** Reads a `watermark` query value: empty or missing is 0; otherwise digits, or null when bad. */
export function parseWatermark(value: unknown): number | null {
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
