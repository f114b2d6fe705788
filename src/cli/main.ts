import { existsSync } from 'node:fs';
import type { ChannelFactory } from '../channel';
import { apiKeyCommand } from './api-key';
import { askCommand } from './ask';
import { chatCommand } from './chat';
import { classifyCommand } from './classify';
import { Exit } from './common';
import { type CliIo, type Command, EXIT_USAGE } from './io';
import { outboxCommand } from './outbox';
import { evalRouterCommand, trainRouterCommand } from './router';
import { serveCommand } from './serve';
import { trainCommand } from './train';

/** Every `suara` sub-command; `serve` runs the given channel adapters. */
export function commands(channels: ChannelFactory[]): Record<string, Command> {
  return {
    serve: serveCommand(channels),
    outbox: outboxCommand,
    'api-key': apiKeyCommand,
    classify: classifyCommand,
    train: trainCommand,
    'train-router': trainRouterCommand,
    'eval-router': evalRouterCommand,
    ask: askCommand,
    chat: chatCommand,
  };
}

function help(): string {
  const lines = Object.entries(commands([])).map(
    ([name, c]) => `  ${name.padEnd(14)} ${c.summary}`,
  );
  return `Suara — citizen feedback and complaint service\n\nusage: suara <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nConfiguration comes from environment variables and an optional .env file (see .env.example).\n`;
}

/**
 * Runs the CLI with `argv` (without node and script). Resolves to the exit code.
 *
 * @example
 * await main(['classify', 'jalan rusak'], io); // 0
 */
export async function main(
  argv: string[],
  io: CliIo,
  channels: ChannelFactory[] = [],
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(help());
    return 0;
  }
  const command = commands(channels)[name];
  if (!command) {
    io.stderr(`suara: unknown command "${name}"\n\n${help()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof Exit) return err.code;
    throw err;
  }
}

/**
 * The `suara` process: reads `.env`, runs `main` with the process's arguments and streams, and
 * sets the exit code. `channels` are the channel adapters `suara serve` runs, chosen by the
 * composition root (app/suara.ts), so nothing under src/ knows which adapters exist.
 */
export function runCli(channels: ChannelFactory[]): void {
  // A .env file in the working directory fills in variables the environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  // The reader went away (`suara classify … | head`): stop quietly, like other Unix tools.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  main(
    process.argv.slice(2),
    {
      env: process.env,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
    },
    channels,
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `suara: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
