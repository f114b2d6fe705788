import type { PubSub } from '../../src/store/pubsub';

/** Something following a conversation live (an open WebSocket). */
export interface ConversationListener {
  /** New activities are in the history: read them. */
  poke(): void;
  /** An activity that is not stored (typing): pass it on now. */
  ephemeral(activity: Record<string, unknown>): void;
}

/** What the hub publishes on a conversation's topic. */
type HubMessage = { type: 'poke' } | { type: 'ephemeral'; activity: Record<string, unknown> };

/**
 * Who follows which conversation, over the service's pub/sub: an append on any instance pokes
 * the listeners on every instance, which then read the stored history from their own watermark,
 * so nothing is lost between a reconnect's backlog and the live stream (a missed poke only
 * delays; the next one, or the keep-alive read, catches up).
 *
 * @example
 * const hub = new ConversationHub(backend.pubsub);
 * const off = hub.subscribe('conv-1', { poke: () => readMore(), ephemeral: (a) => send(a) });
 * hub.poke('conv-1');
 */
export class ConversationHub {
  constructor(private readonly pubsub: PubSub) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(conversationId: string, listener: ConversationListener): () => void {
    return this.pubsub.subscribe(topic(conversationId), (message) => {
      const m = message as HubMessage;
      if (m.type === 'poke') listener.poke();
      else if (m.type === 'ephemeral') listener.ephemeral(m.activity);
    });
  }

  /** The conversation's history grew. */
  poke(conversationId: string): void {
    this.publish(conversationId, { type: 'poke' });
  }

  /** An activity for the listeners only (typing). */
  ephemeral(conversationId: string, activity: Record<string, unknown>): void {
    this.publish(conversationId, { type: 'ephemeral', activity });
  }

  private publish(conversationId: string, message: HubMessage): void {
    // A hint only: a failed publish delays a socket until its next read, it loses nothing.
    this.pubsub.publish(topic(conversationId), message).catch(() => {});
  }
}

function topic(conversationId: string): string {
  return `webchat:${conversationId}`;
}
