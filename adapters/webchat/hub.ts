/** Something following a conversation live (an open WebSocket). */
export interface ConversationListener {
  /** New activities are in the history: read them. */
  poke(): void;
  /** An activity that is not stored (typing): pass it on now. */
  ephemeral(activity: Record<string, unknown>): void;
}

/**
 * Who follows which conversation in this process. Appends poke the listeners, which then read
 * the stored history from their own watermark, so nothing is lost between a reconnect's backlog
 * and the live stream.
 */
export class ConversationHub {
  private readonly listeners = new Map<string, Set<ConversationListener>>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(conversationId: string, listener: ConversationListener): () => void {
    let set = this.listeners.get(conversationId);
    if (!set) {
      set = new Set();
      this.listeners.set(conversationId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(conversationId) === set) {
        this.listeners.delete(conversationId);
      }
    };
  }

  /** How many listeners follow the conversation. */
  count(conversationId: string): number {
    return this.listeners.get(conversationId)?.size ?? 0;
  }

  poke(conversationId: string): void {
    for (const l of this.listeners.get(conversationId) ?? []) l.poke();
  }

  ephemeral(conversationId: string, activity: Record<string, unknown>): void {
    for (const l of this.listeners.get(conversationId) ?? []) l.ephemeral(activity);
  }

  /** Every listener of every conversation (keep-alive rounds, shutdown). */
  all(): ConversationListener[] {
    return [...this.listeners.values()].flatMap((set) => [...set]);
  }
}
