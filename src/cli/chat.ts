import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { loadDomainFiles } from '../config/files';
import type { Reply } from '../core/types';
import { createLogger } from '../logger';
import { buildCore } from '../service';
import { openBackend } from '../store/open';
import { config, options } from './common';
import type { CliIo, Command } from './io';

/** Renders replies for a terminal: text, a link, and numbered choices. */
export function renderReplies(replies: Reply[]): string {
  let n = 0;
  return replies
    .map((r) => {
      const lines = [r.text];
      if (r.link) lines.push(`  ${r.link.url}`);
      for (const c of r.choices ?? []) lines.push(`  ${++n}) ${c.label}`);
      if (r.requestLocation) lines.push('  (/location LAT,LON shares a location)');
      return lines.join('\n');
    })
    .join('\n');
}

/**
 * `suara chat`: talk to the real bot and the real store from a terminal (channel `cli`).
 * Numbers pick the choices of the last reply; `/location -6.2,106.8` shares a location;
 * `/photo REF` attaches a photo reference. Without a terminal it reads one message per line.
 */
export const chatCommand: Command = {
  summary: 'chat with the bot in the terminal (scriptable: one message per line on stdin)',
  usage: 'suara chat [--user ID]',
  async run(args, io) {
    const { values } = options('chat', this.usage, args, { user: { type: 'string' } }, io);
    const cfg = config(io);
    const logger = createLogger('error');
    const clock = () => new Date();
    const domain = loadDomainFiles(cfg);
    const backend = await openBackend(cfg.database, clock);
    try {
      const { bot } = buildCore(cfg, domain, backend, { logger, clock });
      const user = values.user ?? `cli-${userInfo().username}`;
      const run = randomUUID().slice(0, 8);
      let n = 0;
      let last: Reply[] = [];
      const input = io.stdin ?? process.stdin;
      const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
      const lines = createInterface({
        input,
        crlfDelay: Number.POSITIVE_INFINITY,
        terminal: false,
      });
      if (interactive) io.stdout('Suara chat — type a message (Ctrl-D to quit).\n> ');
      for await (const raw of lines) {
        const line = raw.trim();
        if (line) {
          last = await bot.handle({
            ...toMessage(line, last),
            channel: 'cli',
            channelUserId: user,
            conversationId: user,
            messageId: `${run}:${++n}`,
            receivedAt: clock(),
          });
          io.stdout(`${renderReplies(last)}\n`);
        }
        if (interactive) io.stdout('> ');
      }
      return 0;
    } finally {
      await backend.close();
    }
  },
};

/** A typed line as a message: a choice number, a location, a photo, or text. */
function toMessage(line: string, last: Reply[]) {
  const choices = last.flatMap((r) => r.choices ?? []);
  const picked = /^\d+$/.test(line) ? choices[Number(line) - 1] : undefined;
  if (picked) return { text: picked.label, action: picked.value };
  const loc = /^\/location\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/i.exec(line);
  if (loc) return { location: { lat: Number(loc[1]), lon: Number(loc[2]) } };
  const photo = /^\/photo\s+(\S+)$/i.exec(line);
  if (photo?.[1]) return { attachments: [{ kind: 'photo' as const, ref: photo[1] }] };
  return { text: line };
}

export type { CliIo };
