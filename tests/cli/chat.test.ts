import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { INTENTS_DIR, TEST_NLU_MODEL, testNlu } from '../support/nlu';

const root = join(__dirname, '..', '..');

beforeAll(() => {
  testNlu();
});

async function chat(lines: string[], db: string) {
  const out: string[] = [];
  const io: CliIo = {
    env: {
      DATABASE_URL: `sqlite:${db}`,
      SUARA_INTENTS: INTENTS_DIR,
      SUARA_NLU_MODEL: TEST_NLU_MODEL,
      SUARA_AGENCIES: join(root, 'intents/agencies.yaml'),
      SUARA_DEADLINES: join(root, 'intents/deadlines.yaml'),
      SUARA_HOLIDAYS: join(root, 'intents/holidays.yaml'),
    },
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    stdin: Readable.from([`${lines.join('\n')}\n`]),
  };
  const code = await main(['chat', '--user', 'tester'], io);
  return { code, out: out.join('') };
}

describe('suara chat (scripted, stdin not a terminal)', () => {
  test('files a complaint with numbered choices and a shared location, into the real store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-chat-'));
    try {
      const db = join(dir, 'suara.db');
      const { code, out } = await chat(
        [
          'halo',
          'jalan depan rumah saya berlubang besar sudah 2 bulan',
          '1',
          '/location -6.2,106.8',
          '1',
          '3',
          'warga@contoh.id',
          '1',
        ],
        db,
      );
      expect(code).toBe(0);
      expect(out).toContain('  1) Laporkan masalah');
      expect(out).toMatch(
        /Ringkasan laporan:[\s\S]*-6\.20000, 106\.80000[\s\S]*Rahasia[\s\S]*warga@contoh\.id/,
      );
      const id = /nomor (ADU-[0-9A-Z]{6})/.exec(out)?.[1];
      expect(id).toBeDefined();
      const backend = SqliteBackend.open({ path: db });
      const c = await backend.cases.get(id as string);
      await backend.close();
      expect(c).toMatchObject({
        identity: 'confidential',
        location: { lat: -6.2, lon: 106.8 },
        reporter: { channel: 'cli', channelUserId: 'tester', email: 'warga@contoh.id' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
