import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the checker answers. */
export interface CheckResult {
  valid: boolean;
  errors: unknown[] | string | null;
  /** The operation a request matched (responses and requests); null when none. */
  operationId?: string | null;
}

/** A real HTTP answer to check against the document. */
export interface AnswerToCheck {
  method: string;
  /** Path and query, as requested. */
  path: string;
  status: number;
  contentType: string;
  /** Header names, lower case, with their values. */
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The OpenAPI document checker of openapi-check.mjs, in a child Node process (openapi-backend
 * and @seriousme/openapi-schema-validator are ES modules Jest cannot load). One per test file.
 *
 * @example
 * const checker = await startChecker(document);
 * expect((await checker.document()).valid).toBe(true);
 * await checker.stop();
 */
export async function startChecker(definition: object) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(__dirname, 'openapi-check.mjs')],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const pending = new Map<number, (result: CheckResult) => void>();
  let ready: (() => void) | null = null;
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    child.once('exit', (code) => reject(new Error(`checker exited (${code}): ${stderr}`)));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as CheckResult & { id?: number; ready?: boolean };
    if (message.ready) ready?.();
    else if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  child.stdin.write(`${JSON.stringify({ definition })}\n`);
  await started;

  let next = 0;
  const ask = (message: object): Promise<CheckResult> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, (result) => {
        pending.delete(id);
        resolve(result);
      });
      child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });

  return {
    /** The document against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator). */
    document: () => ask({ op: 'document' }),
    /** A real answer against the operation its request matched (openapi-backend). */
    response: (answer: AnswerToCheck) => ask({ op: 'response', ...answer }),
    /** A request body against the operation (openapi-backend). */
    request: (method: string, path: string, body: unknown) =>
      ask({ op: 'request', method, path, body }),
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export type Checker = Awaited<ReturnType<typeof startChecker>>;
