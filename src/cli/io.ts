/** The process edges a command may use, injected so commands are testable. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

/** A `suara` sub-command. Resolves to the exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit code for a configuration problem (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;
/** Exit code for bad command-line usage (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;
