import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { TEST_NLU_MODEL, testNlu } from '../support/nlu';

const root = join(__dirname, '..', '..');
const repoFiles = {
  SUARA_AGENCIES: join(root, 'intents/agencies.yaml'),
  SUARA_DEADLINES: join(root, 'intents/deadlines.yaml'),
  SUARA_HOLIDAYS: join(root, 'intents/holidays.yaml'),
};

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { env, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  return { io: value, out, err };
}

describe('suara CLI', () => {
  test('help lists the commands', async () => {
    const t = io();
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/serve\s+start the service/);
  });

  test('an unknown command is a usage error', async () => {
    const t = io();
    expect(await main(['frobnicate'], t.io)).toBe(64);
    expect(t.err.join('')).toContain('unknown command "frobnicate"');
  });

  test('serve with bad configuration stops with one line per problem and exit code 78', async () => {
    const t = io({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(await main(['serve'], t.io)).toBe(78);
    expect(t.err.join('')).toBe(
      'suara: invalid configuration:\n' +
        '  PORT="abc": expected an integer port from 1 to 65535\n' +
        '  LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent\n',
    );
  });

  test('serve with a broken agency file names the file and stops before listening', async () => {
    const t = io({ SUARA_AGENCIES: '/nonexistent/agencies.yaml', DATABASE_URL: 'sqlite::memory:' });
    expect(await main(['serve'], t.io)).toBe(78);
    expect(t.err.join('')).toContain('SUARA_AGENCIES="/nonexistent/agencies.yaml": file not found');
  });

  test('a file that is not a database stops serve with one line, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-baddb-'));
    try {
      const path = join(dir, 'notes.txt');
      writeFileSync(path, 'this is not a database, just some text '.repeat(200));
      const t = io({ DATABASE_URL: `sqlite:${path}`, LOG_LEVEL: 'silent', ...repoFiles });
      expect(await main(['serve'], t.io)).toBe(78);
      expect(t.err.join('')).toBe(
        `suara: DATABASE_URL="sqlite:${path}": cannot open the SQLite database: file is not a database\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('serve refuses the MongoDB URL clearly until that store exists', async () => {
    const t = io({
      DATABASE_URL: 'mongodb://localhost:27017/suara',
      SUARA_AGENCIES: join(root, 'intents/agencies.yaml'),
      SUARA_DEADLINES: join(root, 'intents/deadlines.yaml'),
      SUARA_HOLIDAYS: join(root, 'intents/holidays.yaml'),
      LOG_LEVEL: 'silent',
    });
    expect(await main(['serve'], t.io)).toBe(78);
    expect(t.err.join('')).toMatch(/MongoDB store is not part of this build/);
  });
});

describe('suara serve as a process with no configuration but the port', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-serve-'));
    symlinkSync(join(root, 'intents'), join(dir, 'intents'));
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts with the SQLite file, answers /healthz, and stops cleanly on SIGTERM', async () => {
    // Everything at its default but the port (3000 may be taken by a developer's own server;
    // the default port itself is checked by the configuration tests) and the NLU model, which
    // the tests share instead of training it again here.
    testNlu();
    const port = await freePort();
    child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(root, 'app/suara.ts'), 'serve'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', PORT: String(port), SUARA_NLU_MODEL: TEST_NLU_MODEL },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child?.on('exit', (code) => resolve(code)),
    );

    let body: unknown;
    for (let i = 0; i < 150 && body === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) body = await res.json();
      } catch {
        // not listening yet
      }
    }
    expect({ body, stderr }).toEqual({ body: { status: 'ok' }, stderr: '' });
    expect(stdout).toContain(`Suara is running at http://localhost:${port}`);
    expect(existsSync(join(dir, 'data', 'suara.db'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/"msg":"stopped"/);
  });
});

describe('suara outbox', () => {
  test('lists dead letters from the configured store, and refuses bad options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-outbox-cli-'));
    try {
      const path = join(dir, 'suara.db');
      const backend = SqliteBackend.open({ path });
      const now = new Date('2026-11-27T02:00:00Z');
      await backend.outbox.enqueue(
        [
          { idempotencyKey: 'a', channel: 'telegram', recipient: '1', payload: { text: 'a' } },
          { idempotencyKey: 'b', channel: 'telegram', recipient: '2', payload: { text: 'b' } },
        ],
        now,
      );
      const [first] = await backend.outbox.claim({
        channels: ['telegram'],
        now,
        limit: 1,
        leaseMs: 1000,
      });
      await backend.outbox.settle(
        { id: first?.id as string, leaseToken: first?.leaseToken as string },
        {
          status: 'dead',
          at: now,
          error: 'HTTP 500 x8',
        },
      );
      await backend.close();

      const t = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox', '--status', 'dead'], t.io)).toBe(0);
      const lines = t.out
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual([
        expect.objectContaining({ idempotencyKey: 'a', status: 'dead', lastError: 'HTTP 500 x8' }),
      ]);

      const all = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox'], all.io)).toBe(0);
      expect(all.out.join('').trim().split('\n')).toHaveLength(2);

      const bad = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox', '--status', 'lost'], bad.io)).toBe(64);
      expect(bad.err.join('')).toContain('--status must be one of');
      expect(await main(['outbox', '--limit', '0'], bad.io)).toBe(64);

      // An operator resends the dead letter: it is pending again, due now.
      const deadId = String(lines[0]?.id);
      const usage = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox', 'retry'], usage.io)).toBe(64);
      expect(await main(['outbox', 'retry', 'not-an-id'], usage.io)).toBe(64);
      expect(usage.err.join('')).toContain('not an outbox message id');
      const retried = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox', 'retry', deadId], retried.io)).toBe(0);
      expect(JSON.parse(retried.out.join(''))).toEqual({ queued: 1 });
      const again = io({ DATABASE_URL: `sqlite:${path}` });
      expect(await main(['outbox', 'retry', '--dead'], again.io)).toBe(0);
      expect(JSON.parse(again.out.join(''))).toEqual({ queued: 0 });
      const check = SqliteBackend.open({ path });
      expect(await check.outbox.get(deadId)).toMatchObject({ status: 'pending', uncertain: 0 });
      await check.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the suara process', () => {
  test('stops quietly when its reader goes away (suara classify | head -1)', async () => {
    testNlu();
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), join(root, 'app/suara.ts'), 'classify'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          SUARA_INTENTS: join(root, 'intents'),
          SUARA_NLU_MODEL: TEST_NLU_MODEL,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id":${i},"text":"halo"}\n`);
    child.stdin?.on('error', () => {}); // it may exit before reading everything
    child.stdin?.end(lines.join(''));
    // Like `head -1`: read the first line, then close the pipe.
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.stdout?.destroy();
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error/);
  }, 30_000);
});

describe('suara api-key', () => {
  test('creates keys shown once and stored hashed, lists them without the key, revokes one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-api-key-cli-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'suara.db')}`, ...repoFiles };
    try {
      const staff = io(env);
      const args = ['--name', 'SIMPEL PUPR', '--agency', 'dinas-pupr', '--scope'];
      expect(await main(['api-key', 'create', ...args, 'cases:read,cases:write'], staff.io)).toBe(
        0,
      );
      const made = JSON.parse(staff.out.join(''));
      expect(made).toEqual(
        expect.objectContaining({
          kind: 'staff',
          agencies: ['dinas-pupr'],
          scopes: ['cases:read', 'cases:write'],
          key: expect.stringMatching(/^suara_/),
        }),
      );
      expect(staff.err.join('')).toContain('shown once');
      const open311 = io(env);
      expect(
        await main(['api-key', 'create', '--name', 'FixMyStreet', '--open311'], open311.io),
      ).toBe(0);

      const list = io(env);
      expect(await main(['api-key', 'list'], list.io)).toBe(0);
      const listed = list.out.join('');
      expect(listed).not.toContain(made.key);
      expect(listed).not.toContain('hash');
      expect(
        listed
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).name),
      ).toEqual(['SIMPEL PUPR', 'FixMyStreet']);

      const revoke = io(env);
      expect(await main(['api-key', 'revoke', made.id], revoke.io)).toBe(0);
      const again = io(env);
      expect(await main(['api-key', 'list'], again.io)).toBe(0);
      expect(JSON.parse(again.out.join('').split('\n')[0] ?? '')).toEqual(
        expect.objectContaining({ id: made.id, revokedAt: expect.any(String) }),
      );

      const bad = io(env);
      expect(
        await main(
          ['api-key', 'create', '--name', 'x', '--agency', 'dinas-x', '--scope', 'cases:read'],
          bad.io,
        ),
      ).toBe(64);
      expect(
        await main(
          ['api-key', 'create', '--name', 'x', '--agency', 'dinas-pupr', '--scope', 'all'],
          bad.io,
        ),
      ).toBe(64);
      expect(
        await main(
          ['api-key', 'create', '--name', 'x', '--open311', '--agency', 'dinas-pupr'],
          bad.io,
        ),
      ).toBe(64);
      expect(
        await main(
          ['api-key', 'create', '--agency', 'dinas-pupr', '--scope', 'cases:read'],
          bad.io,
        ),
      ).toBe(64);
      expect(await main(['api-key', 'revoke', 'zzzzzzzzzz'], bad.io)).toBe(1);
      expect(bad.err.join('')).toMatch(
        /unknown agency: dinas-x[\s\S]*--scope must be[\s\S]*no key with id/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
