import { type StaffApiHarness, startStaffApi } from './harness';

describe('staff API: GET /api/v1/cases/{trackingId}/attachments/{n}', () => {
  let h: StaffApiHarness;
  let pupr: { key: string; id: string };
  beforeAll(async () => {
    h = await startStaffApi();
    pupr = await h.createKey(['dinas-pupr'], ['cases:read']);
  });
  afterAll(() => h.stop());

  const withPhotos = () =>
    h.openCase({
      attachments: [
        { kind: 'photo', ref: 'photo-1', mimeType: 'image/jpeg' },
        { kind: 'document', ref: 'doc-2', mimeType: 'application/pdf' },
      ],
    });

  test("the case lists its files with their href; each downloads from the citizen's channel", async () => {
    h.files.set('photo-1', {
      bytes: Buffer.from([0xff, 0xd8, 0xff, 0x01]),
      mimeType: 'image/jpeg',
    });
    h.files.set('doc-2', { bytes: Buffer.from('%PDF-1.7 surat'), mimeType: 'application/pdf' });
    const c = await withPhotos();
    const api = h.client(pupr.key);
    const read = await api.get(`/api/v1/cases/${c.trackingId}`);
    expect(read.body.case.attachments).toEqual([
      {
        kind: 'photo',
        mime_type: 'image/jpeg',
        href: `/api/v1/cases/${c.trackingId}/attachments/1`,
      },
      {
        kind: 'document',
        mime_type: 'application/pdf',
        href: `/api/v1/cases/${c.trackingId}/attachments/2`,
      },
    ]);

    const photo = await api.get(read.body.case.attachments[0].href);
    expect(photo.status).toBe(200);
    expect(photo.operationId).toBe('getAttachment');
    expect([...photo.bytes]).toEqual([0xff, 0xd8, 0xff, 0x01]);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.headers.get('content-disposition')).toBe(
      `attachment; filename="${c.trackingId}-1.jpg"`,
    );
    expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(photo.headers.get('cache-control')).toBe('no-store');

    const doc = await api.get(read.body.case.attachments[1].href);
    expect(doc.bytes.toString()).toBe('%PDF-1.7 surat');
    expect(doc.headers.get('content-disposition')).toContain(`${c.trackingId}-2.pdf`);
  });

  test('no such file, another agency, no key, no scope → 404, 404, 401, 403', async () => {
    const c = await withPhotos();
    const api = h.client(pupr.key);
    for (const n of ['3', '0', '-1', 'x', '99999']) {
      const res = await api.get(`/api/v1/cases/${c.trackingId}/attachments/${n}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const other = await h.createKey(['dinas-kesehatan'], ['cases:read'], 'SIMKES');
    const elsewhere = await h.client(other.key).get(`/api/v1/cases/${c.trackingId}/attachments/1`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).not.toContain('attachment');
    const anonymous = await h.client().get(`/api/v1/cases/${c.trackingId}/attachments/1`);
    expect(anonymous.status).toBe(401);
    const writeOnly = await h.createKey(['dinas-pupr'], ['cases:write'], 'W');
    expect(
      (await h.client(writeOnly.key).get(`/api/v1/cases/${c.trackingId}/attachments/1`)).status,
    ).toBe(403);
  });

  test('a file the channel no longer has, or a channel with no files → 502 media_unavailable', async () => {
    const gone = await h.openCase({ attachments: [{ kind: 'photo', ref: 'expired-media' }] });
    const api = h.client(pupr.key);
    const res = await api.get(`/api/v1/cases/${gone.trackingId}/attachments/1`);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('media_unavailable');

    const offline = await h.openCase({
      attachments: [{ kind: 'photo', ref: 'x' }],
      reporter: { channel: 'offline', channelUserId: 'o1', conversationId: 'o1' },
    });
    const none = await api.get(`/api/v1/cases/${offline.trackingId}/attachments/1`);
    expect(none.status).toBe(502);
    expect(none.body.error.message).toContain('offline');
  });

  test('a media type a channel gives that is no media type is sent as octet-stream', async () => {
    h.files.set('odd', { bytes: Buffer.from('x'), mimeType: 'text/html; <script>' });
    const c = await h.openCase({ attachments: [{ kind: 'document', ref: 'odd' }] });
    const res = await h.client(pupr.key).get(`/api/v1/cases/${c.trackingId}/attachments/1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });
});
