import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config/env';
import { isCodedError } from '../errors';
import type { Backend } from '../store/backend';
import { openBackend } from '../store/open';
import { type CliIo, EXIT_CONFIG, EXIT_USAGE } from './io';

/** A command's early exit: the code to return (the message is already written). */
export class Exit {
  constructor(readonly code: number) {}
}

/** Parses options strictly; a bad option prints the usage and exits 64. */
export function options<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  usage: string,
  args: string[],
  spec: T,
  io: CliIo,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals });
  } catch (err) {
    io.stderr(`suara ${command}: ${(err as Error).message}\nusage: ${usage}\n`);
    throw new Exit(EXIT_USAGE);
  }
}

/** Reads the configuration, or prints one line per problem and exits 78. */
export function config(io: CliIo): Config {
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    printConfigProblems(loaded.errors, io);
    throw new Exit(EXIT_CONFIG);
  }
  return loaded.config;
}

/** One line per configuration problem, under one heading. */
export function printConfigProblems(lines: string[], io: CliIo): void {
  io.stderr(`suara: invalid configuration:\n${lines.map((e) => `  ${e}`).join('\n')}\n`);
}

/** A usage error with a message. */
export function usageError(command: string, message: string, usage: string, io: CliIo): never {
  io.stderr(`suara ${command}: ${message}\nusage: ${usage}\n`);
  throw new Exit(EXIT_USAGE);
}

/** Runs `use` on the configured store, closed after; a store that cannot open exits 78. */
export async function withBackend(
  io: CliIo,
  use: (backend: Backend) => Promise<number>,
): Promise<number> {
  const cfg = config(io);
  let backend: Backend;
  try {
    backend = await openBackend(cfg.database, () => new Date());
  } catch (err) {
    if (!isCodedError(err)) throw err;
    io.stderr(`suara: ${err.message}\n`);
    return EXIT_CONFIG;
  }
  try {
    return await use(backend);
  } finally {
    await backend.close();
  }
}
