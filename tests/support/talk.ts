import { loadDomainFiles } from '../../src/config/files';
import type { Bot } from '../../src/core/bot';
import type { InboundMessage, Reply } from '../../src/core/types';
import { silentLogger } from '../../src/logger';
import { buildCore } from '../../src/service';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { testConfig } from './config';
import { manualClock } from './fixtures';
import { testNlu } from './nlu';

/** A bot over an in-memory store, the project's own data, and a clock the test moves. */
export function makeBot(start = '2026-11-27T02:00:00.000Z') {
  const config = testConfig();
  const backend = SqliteBackend.open({ path: ':memory:' });
  const clock = manualClock(start);
  const core = buildCore(config, loadDomainFiles(config), backend, {
    logger: silentLogger,
    clock,
    nlu: testNlu(),
  });
  return { ...core, backend, clock };
}

let counter = 0;

/**
 * Drives the bot like a citizen: text in, replies out, chainable and awaitable.
 *
 * @example
 * await talk(bot).say('jalan depan rumah rusak parah sudah sebulan').expect(/kategori|category/i);
 */
export class Conversation implements PromiseLike<void> {
  /** Every reply of the last turn. */
  last: Reply[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly bot: Bot,
    private readonly clock: () => Date,
    readonly user = `u${++counter}`,
    readonly channel = 'test',
  ) {}

  /** Sends a message (text and/or other fields). */
  send(fields: Partial<InboundMessage>): this {
    this.chain = this.chain.then(() => this.deliver(fields));
    return this;
  }

  say(text: string): this {
    return this.send({ text });
  }

  /** Presses the button whose label or value matches (in the last replies). */
  choose(match: string | RegExp): this {
    this.chain = this.chain.then(() => {
      const choices = this.last.flatMap((r) => r.choices ?? []);
      const found = choices.find((c) =>
        typeof match === 'string'
          ? c.value === match || c.label === match
          : match.test(c.label) || match.test(c.value),
      );
      if (!found) {
        throw new Error(
          `no choice ${String(match)} in ${JSON.stringify(choices.map((c) => c.label))}`,
        );
      }
      return this.deliver({ text: found.label, action: found.value });
    });
    return this;
  }

  private async deliver(fields: Partial<InboundMessage>): Promise<void> {
    this.last = await this.bot.handle({
      channel: this.channel,
      channelUserId: this.user,
      conversationId: this.user,
      messageId: `m${++counter}`,
      receivedAt: this.clock(),
      ...fields,
    });
  }

  /** Asserts that the last replies (joined) match. */
  expect(pattern: RegExp | string): this {
    this.chain = this.chain.then(() => {
      const text = this.text();
      const ok = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      if (!ok) throw new Error(`expected ${String(pattern)} in the bot's reply:\n${text}`);
    });
    return this;
  }

  /** Asserts that the last replies do not match. */
  expectNot(pattern: RegExp | string): this {
    this.chain = this.chain.then(() => {
      const text = this.text();
      const hit = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      if (hit) throw new Error(`did not expect ${String(pattern)} in the bot's reply:\n${text}`);
    });
    return this;
  }

  /** Runs a check on the conversation in order. */
  check(fn: (c: Conversation) => void | Promise<void>): this {
    this.chain = this.chain.then(() => fn(this));
    return this;
  }

  text(): string {
    return this.last
      .map((r) => [r.text, ...(r.choices ?? []).map((c) => `[${c.label}]`)].join(' '))
      .join('\n');
  }

  // biome-ignore lint/suspicious/noThenProperty: a conversation is awaitable on purpose
  then<T1 = void, T2 = never>(
    // biome-ignore lint/suspicious/noConfusingVoidType: PromiseLike<void> asks for it
    onfulfilled?: ((value: void) => T1 | PromiseLike<T1>) | null,
    onrejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): PromiseLike<T1 | T2> {
    return this.chain.then(onfulfilled, onrejected);
  }
}

export function talk(
  env: { bot: Bot; clock: () => Date },
  user?: string,
  channel?: string,
): Conversation {
  return new Conversation(env.bot, env.clock, user, channel);
}
