import type { KeyValueStore } from '../../src/store/channel-store';

/** WhatsApp's customer service window: free-form messages within 24 hours of the user's last one. */
export const SERVICE_WINDOW_MS = 24 * 3600_000;

/**
 * How long before the window's end free-form messages stop: a message sent a few seconds before
 * it closes may reach Meta after, and come back 131047.
 */
const WINDOW_MARGIN_MS = 60_000;

/** How long a sent message's id is kept: its status callbacks, and a template button pressed later. */
const SENT_RETENTION_MS = 30 * 24 * 3600_000;

/** What is kept of a message Suara sent, by its WhatsApp message id (wamid). */
export interface SentRecord {
  /** The outbox message it delivered (part of). */
  outboxId: string;
  /** The conversation (user key) it went to. */
  user: string;
  /** True for the notification template (no use sending it again as a template). */
  template: boolean;
  /** The case it was about, if any. */
  trackingId?: string;
}

/**
 * The WhatsApp adapter's durable state in its channel store space (shared by every instance):
 * - `seen:<user>`: when the user last wrote (epoch ms), expiring when their 24-hour customer
 *   service window closes — the sender looks it up to choose free text or the template;
 * - `sent:<wamid>`: which outbox message a sent WhatsApp message delivered, so a `failed` status
 *   callback marks that notification undeliverable, and a template's button finds its case.
 *
 * @example
 * const state = new WhatsAppState(ctx.backend.channelStore.scope('whatsapp'), ctx.clock);
 * await state.seen('6281234567890', new Date());
 * await state.windowOpen('6281234567890'); // true for the next 24 hours
 */
export class WhatsAppState {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: () => Date,
  ) {}

  /** Records that the user wrote at `at` (kept only when later than what is known). */
  async seen(user: string, at: Date): Promise<void> {
    const known = await this.lastSeen(user);
    if (known !== null && known >= at.getTime()) return;
    await this.kv.put(`seen:${user}`, at.getTime(), {
      expiresAt: new Date(at.getTime() + SERVICE_WINDOW_MS),
    });
  }

  /** When the user last wrote (epoch ms), while their window may still be open; else null. */
  async lastSeen(user: string): Promise<number | null> {
    const value = await this.kv.get(`seen:${user}`);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  /** True while free-form messages may be sent to the user (with a margin before the end). */
  async windowOpen(user: string, now = this.clock()): Promise<boolean> {
    const last = await this.lastSeen(user);
    return last !== null && now.getTime() < last + SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
  }

  /** Meta said the window is closed (131047): only the template goes out until the user writes. */
  async closeWindow(user: string): Promise<void> {
    await this.kv.delete(`seen:${user}`);
  }

  async rememberSent(wamid: string, record: SentRecord): Promise<void> {
    await this.kv.put(`sent:${wamid}`, record, {
      expiresAt: new Date(this.clock().getTime() + SENT_RETENTION_MS),
    });
  }

  async sent(wamid: string): Promise<SentRecord | null> {
    const value = (await this.kv.get(`sent:${wamid}`)) as Partial<SentRecord> | null;
    if (!value || typeof value.outboxId !== 'string' || typeof value.user !== 'string') return null;
    return {
      outboxId: value.outboxId,
      user: value.user,
      template: value.template === true,
      ...(typeof value.trackingId === 'string' ? { trackingId: value.trackingId } : {}),
    };
  }
}
