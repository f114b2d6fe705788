import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../src/logger';
import { telegrafSignal } from './client';
import type { UpdateProcessor } from './processor';
import { parseUpdate } from './schema';

/** The updates Suara asks Telegram for (webhook and polling alike). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'edited_message'] as const;

export interface PollingOptions {
  client: Telegram;
  processor: UpdateProcessor;
  logger: Logger;
  /** Long-poll timeout in seconds (Telegram holds getUpdates open this long when idle). */
  timeoutSeconds?: number;
  /** Pause after the n-th consecutive failure, in ms. */
  backoffMs?: (failures: number) => number;
}

/** 1 s, 2 s, 4 s… up to 60 s. */
const defaultBackoff = (failures: number) => Math.min(60_000, 1_000 * 2 ** (failures - 1));

/**
 * Long polling for development (no public URL needed): deletes any webhook, then calls
 * getUpdates with the next offset until stopped. Each update is recorded and processed like a
 * webhook call. Errors are logged and retried with backoff; they never stop the process.
 */
export class Poller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private offset = 0;

  constructor(private readonly options: PollingOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the current long poll at once and waits for the loop to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { client, logger } = this.options;
    const backoff = this.options.backoffMs ?? defaultBackoff;
    let failures = 0;
    let webhookDeleted = false;
    while (!this.stopped) {
      try {
        if (!webhookDeleted) {
          // getUpdates is refused while a webhook is set.
          await client.callApi('deleteWebhook', {}, { signal: this.signal() });
          webhookDeleted = true;
        }
        const updates = await client.callApi(
          'getUpdates',
          {
            offset: this.offset,
            timeout: this.options.timeoutSeconds ?? 30,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          { signal: this.signal() },
        );
        failures = 0;
        await this.receive(updates);
      } catch (err) {
        if (this.stopped) break;
        failures++;
        const wait = backoff(failures);
        logger.warn({ err, failures, retryInMs: wait }, 'telegram polling failed');
        await this.pause(wait);
      }
    }
  }

  private async receive(updates: Update[]): Promise<void> {
    const { processor, logger } = this.options;
    for (const raw of updates) {
      const parsed = parseUpdate(raw);
      const id = (raw as { update_id?: unknown }).update_id;
      if (typeof id === 'number' && id >= this.offset) this.offset = id + 1;
      if (!parsed.ok) {
        logger.warn({ error: parsed.error }, 'telegram polling: invalid update skipped');
        continue;
      }
      // A store failure throws: the offset of this update is not confirmed, so it comes again.
      try {
        await processor.accept(parsed.update);
      } catch (err) {
        this.offset = Math.min(this.offset, parsed.update.update_id);
        throw err;
      }
    }
  }

  /** telegraf types the signal as the `abort-controller` package's; Node's is the same thing. */
  private signal() {
    return telegrafSignal(this.abort.signal);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
