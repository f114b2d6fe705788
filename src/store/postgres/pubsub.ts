import pg from 'pg';
import { InProcessPubSub, type PubSub } from '../pubsub';
import { type PostgresOptions, translate } from './db';

/** NOTIFY payloads must stay under 8000 bytes; ours are pokes and typing activities. */
const MAX_PAYLOAD_BYTES = 7900;

/**
 * Pub/sub between every instance on one PostgreSQL database, with `LISTEN`/`NOTIFY` — no other
 * server needed. One dedicated connection listens and sends, so one instance's messages arrive
 * everywhere in the order it published them; each instance hands what arrives to its local
 * subscribers. Delivery is a hint (see {@link PubSub}): while the connection is down, publishing
 * fails and messages are missed, and the connection is made again after `retryMs`.
 *
 * @example
 * const bus = await PgPubSub.start({ url, schema: 'public' });
 * bus.subscribe('webchat:c1', (m) => poke(m));
 * await bus.publish('webchat:c1', { type: 'poke' });
 */
export class PgPubSub implements PubSub {
  private readonly local = new InProcessPubSub();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private sending: Promise<unknown> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  /** The NOTIFY channel: one per schema, so two deployments on one database stay apart. */
  private readonly channel: string;

  private constructor(
    private readonly options: PostgresOptions,
    private readonly retryMs: number,
  ) {
    this.channel = `suara_bus_${options.schema ?? 'public'}`.slice(0, 63);
  }

  /** Connects and listens before resolving, so nothing published after it is missed. */
  static async start(options: PostgresOptions, retryMs = 1000): Promise<PgPubSub> {
    const bus = new PgPubSub(options, retryMs);
    await bus.connect();
    return bus;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    const payload = JSON.stringify({ topic, message });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(`pub/sub message on ${topic} too large for NOTIFY`);
    }
    // One after the other on the one connection: the order they were published in.
    const sent = this.sending.then(async () => {
      const client = this.client ?? (await this.connect());
      await client.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
    });
    this.sending = sent.catch(() => undefined);
    try {
      await sent;
    } catch (err) {
      throw translate(err);
    }
  }

  subscribe(topic: string, handler: (message: unknown) => void): () => void {
    return this.local.subscribe(topic, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    if (this.closed) throw new Error('the pub/sub is closed');
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5000,
    });
    client.on('notification', (n) => this.deliver(n.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw translate(err);
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('the pub/sub is closed');
    }
    this.client = client;
    return client;
  }

  private deliver(payload: string | undefined): void {
    let parsed: { topic?: unknown; message?: unknown };
    try {
      parsed = JSON.parse(payload ?? '') as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.topic === 'string') void this.local.publish(parsed.topic, parsed.message);
  }

  /** The connection broke: listen again after `retryMs` (until it works, or until close). */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    const again = () => {
      if (this.closed) return;
      this.connect().catch(() => {
        this.retry = setTimeout(again, this.retryMs);
        this.retry.unref();
      });
    };
    this.retry = setTimeout(again, this.retryMs);
    this.retry.unref();
  }
}
