/**
 * Publish/subscribe between the parts of the service, and (with a shared implementation) between
 * instances: a message published on a topic reaches every subscriber of that topic. Delivery is
 * a hint, not storage: subscribers read the durable state (e.g. the web chat history) themselves,
 * so a message missed while disconnected loses nothing.
 *
 * @example
 * const off = pubsub.subscribe('webchat:conv-1', () => stream.poke());
 * await pubsub.publish('webchat:conv-1', { watermark: 7 });
 * off();
 */
export interface PubSub {
  publish(topic: string, message: unknown): Promise<void>;
  /** Calls `handler` for each message on `topic`; returns the function that stops it. */
  subscribe(topic: string, handler: (message: unknown) => void): () => void;
}

/** Pub/sub within one process (the SQLite deployment is one process). */
export class InProcessPubSub implements PubSub {
  private readonly topics = new Map<string, Set<(message: unknown) => void>>();

  async publish(topic: string, message: unknown): Promise<void> {
    for (const handler of [...(this.topics.get(topic) ?? [])]) handler(message);
  }

  subscribe(topic: string, handler: (message: unknown) => void): () => void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
    }
    const entry = (message: unknown) => handler(message);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.topics.get(topic) === set) this.topics.delete(topic);
    };
  }
}
