import { CallbackData } from '../../../adapters/telegram/callback-data';
import { createClient } from '../../../adapters/telegram/client';
import { UPDATE_CHANNEL, UpdateProcessor } from '../../../adapters/telegram/processor';
import type { Bot } from '../../../src/core/bot';
import type { InboundMessage, Reply } from '../../../src/core/types';
import { silentLogger } from '../../../src/logger';
import { keyValueLocks } from '../../../src/store/key-lock';
import type { PgBackend } from '../../../src/store/postgres/backend';
import { describeIfPostgres, openTestPgBackend } from '../../support/postgres';
import { until } from '../../support/until';
import { FakeBotApi } from './fake-bot-api';
import { TOKEN } from './harness';
import { textUpdate } from './updates';

// Several instances on one PostgreSQL: two processors (instances A and B) share the store, and
// any of them may get any update. A chat's updates must run one at a time, in update_id order.

/** A core stand-in that takes a while per turn and records, per chat, overlap and order. */
class RecordingBot implements Bot {
  readonly order = new Map<string, number[]>();
  readonly running = new Map<string, number>();
  overlaps = 0;
  turns = 0;

  constructor(
    private readonly backend: PgBackend,
    private readonly turnMs: number,
  ) {}

  async handle(message: InboundMessage): Promise<Reply[]> {
    const chat = message.conversationId;
    const now = (this.running.get(chat) ?? 0) + 1;
    this.running.set(chat, now);
    if (now > 1) this.overlaps++;
    const id = Number(message.heldWork?.messageId);
    this.order.set(chat, [...(this.order.get(chat) ?? []), id]);
    await new Promise((resolve) => setTimeout(resolve, this.turnMs));
    this.turns++;
    this.running.set(chat, (this.running.get(chat) ?? 1) - 1);
    if (message.heldWork) {
      await this.backend.ledger.finish(message.heldWork.channel, message.heldWork.messageId);
    }
    return [];
  }
}

describeIfPostgres('Telegram on several instances: one turn at a time per chat, in order', () => {
  let fake: FakeBotApi;
  let backend: PgBackend;
  let bot: RecordingBot;
  const processors: UpdateProcessor[] = [];
  const LEASE_MS = 600;

  const instance = (id: string) => {
    const client = createClient({
      token: TOKEN,
      mode: 'webhook',
      webhookSecret: null,
      webhookUrl: null,
      apiRoot: fake.url,
    });
    const clock = () => new Date();
    const p = new UpdateProcessor({
      ctx: { bot, backend, logger: silentLogger, clock, dispatcher: { wake() {} } },
      instanceId: id,
      client,
      callbacks: new CallbackData(backend.channelStore.scope('telegram')),
      botId: 123456,
      turnLocks: keyValueLocks(backend.channelStore.scope('telegram'), clock, id, LEASE_MS),
    });
    processors.push(p);
    return p;
  };
  const unfinished = async () =>
    (
      await backend.ledger.claimUnfinished(UPDATE_CHANNEL, {
        owner: 'probe',
        leaseMs: 1,
        now: new Date(Date.now() + 3_600_000),
        limit: 1000,
      })
    ).length;

  beforeEach(async () => {
    fake = await new FakeBotApi().start();
    backend = await openTestPgBackend(undefined, 8);
    bot = new RecordingBot(backend, 15);
  });

  afterEach(async () => {
    for (const p of processors.splice(0)) await p.drain();
    await backend.close();
    await fake.close();
  });

  test("each chat's updates, spread over two instances, run once each, never at once, in update_id order", async () => {
    const [a, b] = [instance('a'), instance('b')];
    const chats = Array.from({ length: 12 }, (_, k) => 7000 + k);
    const sent = new Map<string, number[]>();
    // Chats in parallel; each chat's updates one after the other (each answered before the
    // next, as Telegram sends them), alternating between the instances.
    await Promise.all(
      chats.map(async (chat) => {
        for (let k = 0; k < 6; k++) {
          const u = textUpdate(chat, `pesan ${k}`);
          sent.set(String(chat), [...(sent.get(String(chat)) ?? []), u.update_id]);
          expect(await (k % 2 === 0 ? a : b).accept(u)).toBe('processing');
        }
      }),
    );
    await until(() => bot.turns === chats.length * 6, 'every update handled');
    await Promise.all([a.drain(), b.drain()]);
    expect(bot.overlaps).toBe(0);
    for (const chat of chats) expect(bot.order.get(String(chat))).toEqual(sent.get(String(chat)));
    expect(await unfinished()).toBe(0);
  });

  test('updates kept while another instance holds the chat run after it, in update_id order', async () => {
    const [a, b] = [instance('a'), instance('b')];
    const locks = keyValueLocks(
      backend.channelStore.scope('telegram'),
      () => new Date(),
      'c',
      60_000,
    );
    const held = await locks.take('turn:8100');
    expect(held).not.toBeNull();
    const first = textUpdate(8100, 'satu');
    const second = textUpdate(8100, 'dua');
    // The later update reaches its instance first; neither can run while C holds the chat.
    expect(await a.accept(second)).toBe('processing');
    expect(await b.accept(first)).toBe('processing');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.turns).toBe(0);
    await held?.release();
    await until(() => bot.turns === 2, 'both updates handled');
    expect(bot.order.get('8100')).toEqual([first.update_id, second.update_id]);
    expect(bot.overlaps).toBe(0);
  });

  test('a chat whose lock holder died is taken over once its lease runs out', async () => {
    const a = instance('a');
    const dead = keyValueLocks(
      backend.channelStore.scope('telegram'),
      () => new Date(),
      'dead',
      LEASE_MS,
    );
    expect(await dead.take('turn:8200')).not.toBeNull(); // never released
    const u = textUpdate(8200, 'halo');
    const t = Date.now();
    expect(await a.accept(u)).toBe('processing');
    await until(() => bot.turns === 1, 'the update handled after the lease');
    expect(Date.now() - t).toBeGreaterThanOrEqual(LEASE_MS - 50);
    expect(await unfinished()).toBe(0);
  });

  test('a redelivered update (to either instance) has one effect', async () => {
    const [a, b] = [instance('a'), instance('b')];
    const u = textUpdate(8300, 'halo');
    const outcomes = await Promise.all([a.accept(u), b.accept(u), a.accept(u)]);
    expect(outcomes.filter((o) => o === 'processing')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    await until(() => bot.turns === 1, 'handled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bot.turns).toBe(1);
  });
});
