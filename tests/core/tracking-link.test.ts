import { loadDomainFiles } from '../../src/config/files';
import { silentLogger } from '../../src/logger';
import type { OutboxMessage } from '../../src/outbox/port';
import { buildCore, trackingPageUrl } from '../../src/service';
import { SqliteBackend } from '../../src/store/sqlite/backend';
import { testConfig } from '../support/config';
import { manualClock } from '../support/fixtures';
import { testNlu } from '../support/nlu';
import { type Env, fileComplaint, STAFF, talk } from './helpers';

const PUBLIC_URL = 'https://lapor.example.go.id';
const PUPR = 'Dinas Pekerjaan Umum dan Penataan Ruang';

/** A bot like `makeBot`'s, with `SUARA_PUBLIC_URL` set or not. */
function botWith(publicUrl: string | null): Env {
  const config = testConfig({ publicUrl });
  const backend = SqliteBackend.open({ path: ':memory:' });
  const clock = manualClock('2026-11-27T02:00:00.000Z');
  const core = buildCore(config, loadDomainFiles(config), backend, {
    logger: silentLogger,
    clock,
    nlu: testNlu(),
  });
  return { ...core, backend, clock };
}

async function texts(env: Env, trackingId: string): Promise<string[]> {
  const seq = (m: OutboxMessage) => Number(m.idempotencyKey.split('#')[1]);
  return (await env.backend.outbox.list())
    .filter((m) => m.trackingId === trackingId && m.channel === 'test')
    .sort((a, b) => seq(a) - seq(b))
    .map((m) => String(m.payload.text));
}

describe('the tracking page link in the citizen messages', () => {
  test('the page address: canonical id, ?lang=en for English only', () => {
    const url = trackingPageUrl(PUBLIC_URL);
    expect(url('ADU-7K3M9Q', 'id')).toBe(`${PUBLIC_URL}/lacak/ADU-7K3M9Q`);
    expect(url('ADU-7K3M9Q', 'en')).toBe(`${PUBLIC_URL}/lacak/ADU-7K3M9Q?lang=en`);
  });

  test('with SUARA_PUBLIC_URL: the confirmation and the notifications link the page (id)', async () => {
    const env = botWith(PUBLIC_URL);
    const c = talk(env, 'alice');
    await c
      .say('jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh')
      .say('ya')
      .say('Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .choose('confirm');
    const id = /ADU-[0-9A-Z]{6}/.exec(c.text())?.[0] ?? '';
    expect(c.last).toHaveLength(1);
    expect(c.last[0]?.text).toMatch(
      new RegExp(
        `^Terima kasih, laporan Anda tercatat dengan nomor ${id}\\. .*Simpan nomor ini untuk cek status\\.\\nPantau perkembangannya di ${PUBLIC_URL}/lacak/${id}$`,
      ),
    );

    await env.cases.act(id, { type: 'verify' }, STAFF);
    await env.cases.act(id, { type: 'resolve', note: 'Lubang sudah ditambal' }, STAFF);
    const link = `Pantau perkembangannya di ${PUBLIC_URL}/lacak/${id}`;
    expect(await texts(env, id)).toEqual([
      `Laporan ${id} sudah diverifikasi dan diteruskan ke ${PUPR}.\n${link}`,
      `Laporan ${id} dinyatakan selesai oleh ${PUPR}: Lubang sudah ditambal\n${link}\nApakah masalahnya sudah beres?`,
    ]);
  });

  test('with SUARA_PUBLIC_URL: English speakers get the English page', async () => {
    const env = botWith(PUBLIC_URL);
    const id = await fileComplaint(env, 'bob', 'en');
    await env.cases.act(id, { type: 'start' }, STAFF);
    expect(await texts(env, id)).toEqual([
      `Public Works and Spatial Planning Department is now working on report ${id}.\nFollow its progress at ${PUBLIC_URL}/lacak/${id}?lang=en`,
    ]);
    const confirmation = talk(env, 'carol');
    await confirmation
      .say('the road in front of my house has big potholes for two months, motorbikes fall')
      .say('yes')
      .say('Jalan Melati 5, Sukamaju')
      .say('skip')
      .say('named')
      .say('skip')
      .choose('confirm')
      .expect(
        /\nFollow its progress at https:\/\/lapor\.example\.go\.id\/lacak\/ADU-[0-9A-Z]{6}\?lang=en$/,
      );
  });

  test('a hand-off (a conversation with an officer) gets no link', async () => {
    const env = botWith(PUBLIC_URL);
    const { case: h } = await env.cases.open(
      {
        kind: 'handoff',
        text: 'saya mau bicara dengan petugas',
        language: 'id',
        category: 'other',
        reporter: { channel: 'test', channelUserId: 'dina', conversationId: 'dina' },
        identity: 'named',
      },
      { type: 'citizen', id: 'dina' },
    );
    await env.cases.act(
      h.trackingId,
      { type: 'note', note: 'Halo, ada yang bisa dibantu?', public: true },
      STAFF,
    );
    expect(await texts(env, h.trackingId)).toEqual([
      `Pesan petugas tentang laporan ${h.trackingId}: Halo, ada yang bisa dibantu?`,
    ]);
  });

  test('without SUARA_PUBLIC_URL: the texts are unchanged, no link', async () => {
    const env = botWith(null);
    const c = talk(env, 'alice');
    await c
      .say('jalan depan rumah saya berlubang besar sudah dua bulan, banyak motor jatuh')
      .say('ya')
      .say('Jl. Melati No. 5, RT 02/RW 03, Kel. Sukamaju')
      .say('lewati')
      .say('terbuka')
      .say('lewati')
      .choose('confirm')
      .expect(/Simpan nomor ini untuk cek status\.$/)
      .expectNot('/lacak/')
      .expectNot('Pantau');
    const id = await fileComplaint(env, 'bob');
    await env.cases.act(id, { type: 'verify' }, STAFF);
    expect(await texts(env, id)).toEqual([
      `Laporan ${id} sudah diverifikasi dan diteruskan ke ${PUPR}.`,
    ]);
  });
});
