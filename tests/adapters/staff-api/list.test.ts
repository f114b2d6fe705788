import { type Answer, START, type StaffApiHarness, startStaffApi } from './harness';

interface CaseRow {
  tracking_id: string;
  agency_id: string;
  status: string;
  created_at: string;
  sla: { deadline: string; due: string; state: string } | null;
}

describe('staff API: GET /api/v1/cases', () => {
  let h: StaffApiHarness;
  beforeAll(async () => {
    h = await startStaffApi();
  });
  afterAll(() => h.stop());

  /** Every page of a list, following `next`. */
  async function allPages(key: string, query: string) {
    const api = h.client(key);
    const pages: Answer[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const res = await api.get(`/api/v1/cases?${query}${suffix}`);
      expect(res.status).toBe(200);
      pages.push(res);
      cursor = res.body.next;
    } while (cursor && pages.length < 20);
    return pages;
  }
  const ids = (pages: Answer[]) =>
    pages.flatMap((p) => p.body.cases.map((c: CaseRow) => c.tracking_id));

  test('130 cases in pages of 50: three pages, none lost or repeated, in every order', async () => {
    const key = (await h.createKey(['dinas-pupr'])).key;
    const opened = new Set<string>();
    for (let i = 0; i < 130; i++) {
      // Several cases share a creation time: the order must still be total.
      if (i % 3 === 0) h.clock.advance(60_000);
      opened.add((await h.openCase()).trackingId);
    }
    h.clock.set(START);
    for (const order of ['newest', 'oldest', 'deadline']) {
      const pages = await allPages(key, `limit=50&order=${order}`);
      expect(pages.map((p) => p.body.cases.length)).toEqual([50, 50, 30]);
      expect(pages[2]?.body.next).toBeNull();
      const seen = ids(pages);
      expect(new Set(seen).size).toBe(130);
      expect(new Set(seen)).toEqual(opened);
      const rows: CaseRow[] = pages.flatMap((p) => p.body.cases);
      const keys = rows.map((c) => (order === 'deadline' ? c.sla?.due : c.created_at));
      const sorted = [...keys].sort();
      expect(keys).toEqual(order === 'newest' ? sorted.reverse() : sorted);
    }
    // The default page is 50, newest first.
    const first = await h.client(key).get('/api/v1/cases');
    expect(first.body.cases).toHaveLength(50);
  });

  test('a cursor only works for the list it came from → 400 bad_cursor', async () => {
    const key = (await h.createKey(['dinas-pupr'])).key;
    const other = (await h.createKey(['dinas-pupr', 'pdam'])).key;
    const api = h.client(key);
    const page = await api.get('/api/v1/cases?limit=5&status=received');
    const cursor = page.body.next as string;
    expect(cursor).toEqual(expect.any(String));
    expect((await api.get(`/api/v1/cases?limit=5&status=received&cursor=${cursor}`)).status).toBe(
      200,
    );
    for (const res of [
      await api.get(`/api/v1/cases?limit=5&status=closed&cursor=${cursor}`),
      await api.get(`/api/v1/cases?limit=5&status=received&order=oldest&cursor=${cursor}`),
      await h.client(other).get(`/api/v1/cases?limit=5&status=received&cursor=${cursor}`),
      await api.get('/api/v1/cases?cursor=bm90LWEtY3Vyc29y'),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_cursor');
    }
    const garbage = await api.get('/api/v1/cases?cursor=%25%25');
    expect([garbage.status, garbage.body.error.code]).toEqual([400, 'invalid_request']);
  });

  describe('filters', () => {
    let key: string;
    let old: string;
    let lights: string;
    let traffic: string;
    beforeAll(async () => {
      key = (await h.createKey(['dinas-perhubungan'], ['cases:read'])).key;
      // Friday 20 Nov, 09:00 WIB: its verification deadline (Wed 25 Nov) is past by 27 Nov.
      h.clock.set('2026-11-20T02:00:00.000Z');
      old = (await h.openCase({ category: 'street_lighting', text: 'Lampu jalan mati' }))
        .trackingId;
      h.clock.set(START);
      // A minute apart: newest first is then traffic, lights (ties have no order to rely on).
      lights = (await h.openCase({ category: 'street_lighting', text: 'Lampu taman mati' }))
        .trackingId;
      h.clock.advance(60_000);
      traffic = (
        await h.openCase({ category: 'transport_traffic', text: 'Lampu lalu lintas rusak' })
      ).trackingId;
      const writer = (await h.createKey(['dinas-perhubungan'])).key;
      await h.client(writer).act(traffic, { action: 'acknowledge' });
      h.clock.set(START);
    });
    const list = async (query: string) => {
      const res = await h.client(key).get(`/api/v1/cases?${query}`);
      expect(res.status).toBe(200);
      return res.body.cases.map((c: CaseRow) => c.tracking_id);
    };

    test('status, category', async () => {
      expect(await list('status=in_progress')).toEqual([traffic]);
      expect(await list('status=received,in_progress')).toEqual([traffic, lights, old]);
      expect(await list('status=closed')).toEqual([]);
      expect(await list('category=street_lighting')).toEqual([lights, old]);
      expect(await list('category=transport_traffic,other&status=in_progress')).toEqual([traffic]);
    });

    test('created_from / created_to: dates are whole days in WIB, date-times exact', async () => {
      expect(await list('created_from=2026-11-21')).toEqual([traffic, lights]);
      expect(await list('created_to=2026-11-20')).toEqual([old]);
      expect(await list('created_from=2026-11-20&created_to=2026-11-20')).toEqual([old]);
      expect(await list('created_to=2026-11-20T09:00:00%2B07:00')).toEqual([]);
      expect(await list('created_to=2026-11-20T09:00:00.001%2B07:00')).toEqual([old]);
      expect(await list('created_from=2026-11-27T02:00:00Z')).toEqual([traffic, lights]);
    });

    test('sla: the state of the running agency deadline, also shown on each case', async () => {
      expect(await list('sla=overdue')).toEqual([old]);
      expect(await list('sla=on_time')).toEqual([traffic, lights]);
      expect(await list('sla=due_soon')).toEqual([]);
      const res = await h.client(key).get('/api/v1/cases?order=deadline');
      const rows: CaseRow[] = res.body.cases;
      expect(rows[0]?.tracking_id).toBe(old);
      expect(rows[0]?.sla).toEqual({
        deadline: 'verify',
        due: '2026-11-25T16:59:59.999Z',
        state: 'overdue',
      });
      expect(rows.find((c) => c.tracking_id === traffic)?.sla).toMatchObject({
        deadline: 'follow_up',
        state: 'on_time',
      });
    });

    test.each([
      'limit=0',
      'limit=101',
      'limit=ten',
      'limit=1.5',
      'status=lost',
      'status=',
      'status=received&status=closed',
      'category=roads',
      'sla=late',
      'order=random',
      'created_from=2026-02-30',
      'created_from=2026-11-01T08:00:00',
      'agency=Dinas%20PUPR',
      'lang=fr',
      'page=2',
    ])('?%s → 400 invalid_request', async (query) => {
      const res = await h.client(key).get(`/api/v1/cases?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    });

    test('an over-long filter → 400 invalid_request', async () => {
      const res = await h.client(key).get(`/api/v1/cases?agency=${'a,'.repeat(300)}`);
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request']);
    });
  });

  describe('personal data', () => {
    const text =
      'Sampah menumpuk di RT 03. NIK saya 3201012345670001, hp 0812-3456-7890, email siti@example.com';
    let key: string;
    beforeAll(async () => {
      key = (await h.createKey(['dinas-lingkungan-hidup'])).key;
    });
    const reporter = {
      channel: 'citizen-test',
      channelUserId: 'tg-user-998877',
      conversationId: 'tg-chat-998877',
      name: 'Siti Aminah',
      phone: '081234567890',
      email: 'siti@example.com',
    };

    test.each(['anonymous', 'confidential'] as const)('%s case: masked', async (identity) => {
      const c = await h.openCase({ category: 'waste_environment', text, identity, reporter });
      await h.client(key).act(c.trackingId, { action: 'request_info', note: 'Di RT berapa?' });
      await h.service.cases.act(
        c.trackingId,
        { type: 'info_received', note: 'RT 03, telepon saya 081298765432' },
        { type: 'citizen', id: reporter.channelUserId },
      );
      const detail = await h.client(key).get(`/api/v1/cases/${c.trackingId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.case.reporter).toBeNull();
      expect(detail.body.case.text).toBe(
        'Sampah menumpuk di RT 03. NIK saya [NIK disamarkan], hp [nomor telepon disamarkan], ' +
          'email [email disamarkan]',
      );
      const answer = detail.body.history[2];
      expect(answer).toMatchObject({
        type: 'info_received',
        actor: { type: 'citizen', id: null, name: null },
        note: 'RT 03, telepon saya [nomor telepon disamarkan]',
      });
      const english = await h.client(key).get(`/api/v1/cases/${c.trackingId}?lang=en`);
      expect(english.body.case.text).toContain('[phone hidden]');
      const listed = await h.client(key).get('/api/v1/cases?limit=100&lang=en');
      const row = listed.body.cases.find((r: CaseRow) => r.tracking_id === c.trackingId);
      expect(row.text).toBe(english.body.case.text);
      for (const json of [detail, english, listed].map((r) => JSON.stringify(r.body))) {
        for (const secret of [
          '3201012345670001',
          '0812-3456-7890',
          '081298765432',
          'siti@',
          'Siti',
          'tg-',
        ]) {
          expect(json).not.toContain(secret);
        }
      }
    });

    test('a named case shows the reporter, never their chat ids', async () => {
      const c = await h.openCase({ category: 'waste_environment', text, reporter });
      const detail = await h.client(key).get(`/api/v1/cases/${c.trackingId}`);
      expect(detail.body.case.text).toBe(text);
      expect(detail.body.case.reporter).toEqual({
        channel: 'citizen-test',
        name: 'Siti Aminah',
        phone: '081234567890',
        email: 'siti@example.com',
      });
      expect(detail.body.history[0].actor).toEqual({ type: 'citizen', id: null, name: null });
      expect(JSON.stringify(detail.body)).not.toContain('tg-');
    });
  });
});
