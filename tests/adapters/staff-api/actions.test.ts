import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { staffApiChannel } from '../../../adapters/staff-api';
import type { Case } from '../../../src/cases/types';
import { finishApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/logger';
import { type StaffApiHarness, startStaffApi } from './harness';

describe('staff API: POST /api/v1/cases/{trackingId}/actions', () => {
  let h: StaffApiHarness;
  let key: { key: string; id: string };
  let api: ReturnType<StaffApiHarness['client']>;
  beforeAll(async () => {
    h = await startStaffApi();
    key = await h.createKey(['dinas-pupr'], ['cases:read', 'cases:write'], 'SIMPUPR');
    api = h.client(key.key);
  });
  afterAll(() => h.stop());

  /** Acts, delivers the outbox, and returns the answer and the citizen's new notifications. */
  async function act(c: Case, body: unknown) {
    await h.deliver();
    const before = h.toCitizen(c).length;
    const res = await api.act(c.trackingId, body);
    await h.deliver();
    return { res, told: h.toCitizen(c).slice(before) };
  }
  const lastEvent = (res: { body: { history: unknown[] } }) =>
    res.body.history[res.body.history.length - 1];
  const actor = () => ({ type: 'staff', id: `apikey:${key.id}`, name: 'SIMPUPR' });

  test('acknowledge starts work, as the key, and tells the citizen once', async () => {
    const c = await h.openCase();
    const { res, told } = await act(c, { action: 'acknowledge' });
    expect(res.status).toBe(200);
    expect(res.body.case).toMatchObject({ tracking_id: c.trackingId, status: 'in_progress' });
    expect(res.body.case.version).toBe(2);
    expect(res.body.history.map((e: { type: string }) => e.type)).toEqual(['created', 'start']);
    expect(lastEvent(res)).toMatchObject({
      type: 'start',
      actor: actor(),
      from_status: 'received',
    });
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({ kind: 'case_status', event: 'start' });
    const history = await h.service.backend.cases.events(c.trackingId);
    expect(history[1]?.actor).toEqual({ type: 'staff', id: `apikey:${key.id}`, name: 'SIMPUPR' });
  });

  test('request_info asks the citizen, with the note', async () => {
    const c = await h.openCase();
    const note = 'Mohon kirim foto lokasi lubangnya';
    const { res, told } = await act(c, { action: 'request_info', note: `  ${note} ` });
    expect(res.status).toBe(200);
    expect(res.body.case).toMatchObject({ status: 'needs_info', resume_status: 'received' });
    expect(res.body.case.sla).toBeNull();
    expect(lastEvent(res)).toMatchObject({
      type: 'request_info',
      note,
      public: true,
      actor: actor(),
    });
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({ kind: 'case_status', event: 'request_info', note });
  });

  test('resolve a case being worked on: one notice asking the citizen to confirm', async () => {
    const c = await h.openCase();
    await act(c, { action: 'acknowledge' });
    const { res, told } = await act(c, { action: 'resolve', note: 'Lubang sudah ditambal' });
    expect(res.status).toBe(200);
    expect(res.body.case.status).toBe('resolved');
    expect(res.body.case.deadlines.auto_close_at).not.toBeNull();
    expect(lastEvent(res)).toMatchObject({ type: 'resolve', actor: actor() });
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({ kind: 'resolved_ask', note: 'Lubang sudah ditambal' });
  });

  test('resolve a received case: started first (two events, two notices)', async () => {
    const c = await h.openCase();
    const { res, told } = await act(c, { action: 'resolve', note: 'Sudah ditambal' });
    expect(res.status).toBe(200);
    expect(res.body.history.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'start',
      'resolve',
    ]);
    expect(told.map((m) => (m.payload as { kind: string }).kind)).toEqual([
      'case_status',
      'resolved_ask',
    ]);
  });

  test('reject tells the citizen the reason', async () => {
    const c = await h.openCase();
    const { res, told } = await act(c, {
      action: 'reject',
      note: 'Jalan nasional, bukan kewenangan kota',
    });
    expect(res.status).toBe(200);
    expect(res.body.case.status).toBe('rejected');
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({ kind: 'case_status', event: 'reject' });
  });

  test('transfer hands the case over without telling the citizen; then it is out of reach', async () => {
    const c = await h.openCase();
    const { res, told } = await act(c, {
      action: 'transfer',
      to_agency: 'pdam',
      note: 'Pipa bocor',
    });
    expect(res.status).toBe(200);
    expect(res.body.case).toMatchObject({ agency_id: 'pdam', status: 'received' });
    expect(lastEvent(res)).toMatchObject({
      type: 'transfer',
      from_agency_id: 'dinas-pupr',
      to_agency_id: 'pdam',
      note: 'Pipa bocor',
      public: false,
      actor: actor(),
    });
    expect(told).toHaveLength(0);
    expect((await api.get(`/api/v1/cases/${c.trackingId}`)).status).toBe(404);
  });

  test('reply writes to the citizen; the status stays', async () => {
    const c = await h.openCase();
    const note = 'Tim kami ke lokasi besok pagi';
    const { res, told } = await act(c, { action: 'reply', note });
    expect(res.status).toBe(200);
    expect(res.body.case.status).toBe('received');
    expect(lastEvent(res)).toMatchObject({ type: 'note', note, public: true, actor: actor() });
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({ kind: 'officer_reply', note });
  });

  test('an internal note never reaches the citizen', async () => {
    const c = await h.openCase();
    const { res, told } = await act(c, { action: 'note', note: 'Cek dengan tim lapangan' });
    expect(res.status).toBe(200);
    expect(lastEvent(res)).toMatchObject({ type: 'note', public: false, actor: actor() });
    expect(told).toHaveLength(0);
    expect(JSON.stringify(h.citizen)).not.toContain('Cek dengan tim lapangan');
  });

  test('an action the status does not allow → 409 invalid_transition, nothing written', async () => {
    const c = await h.openCase();
    await act(c, { action: 'reject', note: 'Duplikat' });
    for (const body of [
      { action: 'acknowledge' },
      { action: 'resolve', note: 'x' },
      { action: 'request_info', note: 'x' },
      { action: 'transfer', to_agency: 'pdam' },
    ]) {
      const { res, told } = await act(c, body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('invalid_transition');
      expect(told).toHaveLength(0);
    }
    expect((await h.service.cases.find(c.trackingId))?.version).toBe(2);
  });

  test('a well-formed action the rules refuse → 422', async () => {
    const c = await h.openCase();
    const unknown = await api.act(c.trackingId, { action: 'transfer', to_agency: 'dinas-rahasia' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unknown_agency');
    const same = await api.act(c.trackingId, { action: 'transfer', to_agency: 'dinas-pupr' });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe('same_agency');
  });

  test.each<[string, unknown]>([
    ['an empty object', {}],
    ['an unknown action', { action: 'close' }],
    ['a missing note', { action: 'resolve' }],
    ['a blank note', { action: 'reply', note: ' \n ' }],
    ['a note too long', { action: 'reply', note: 'x'.repeat(4001) }],
    ['an unknown field', { action: 'acknowledge', public: true }],
    ['camelCase', { action: 'transfer', toAgencyId: 'pdam' }],
    ['an array', [{ action: 'acknowledge' }]],
  ])('%s → 400 invalid_request', async (_what, body) => {
    const c = await h.openCase();
    const res = await api.act(c.trackingId, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect((await h.service.cases.find(c.trackingId))?.version).toBe(1);
  });

  test('bodies that are not JSON, too deep or too large', async () => {
    const c = await h.openCase();
    const path = `/api/v1/cases/${c.trackingId}/actions`;
    const malformed = await api.post(path, { raw: '{"action": ' });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'bad_request']);
    const deep = await api.post(path, { raw: `${'['.repeat(100)}${']'.repeat(100)}` });
    expect([deep.status, deep.body.error.code]).toEqual([400, 'too_deep']);
    const form = await api.post(path, { raw: 'action=acknowledge', contentType: 'text/plain' });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const none = await h.client(key.key).post(path, {});
    expect([none.status, none.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const big = await api.post(path, { body: { action: 'reply', note: 'x'.repeat(40_000) } });
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
    expect((await h.service.cases.find(c.trackingId))?.version).toBe(1);
  });

  test('the tracking id is read tolerantly; one that cannot be an id is 404', async () => {
    const c = await h.openCase();
    const typed = c.trackingId.toLowerCase().replace('-', ' ');
    const res = await api.act(typed, { action: 'acknowledge' });
    expect(res.status).toBe(200);
    expect(res.body.case.tracking_id).toBe(c.trackingId);
    expect((await api.act('not-an-id', { action: 'acknowledge' })).status).toBe(404);
    expect((await api.act('x'.repeat(41), { action: 'acknowledge' })).status).toBe(404);
  });

  test('an unknown query parameter → 400', async () => {
    const c = await h.openCase();
    const res = await api.post(`/api/v1/cases/${c.trackingId}/actions?force=1`, {
      body: { action: 'acknowledge' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/force/);
  });

  test('mounted alone (no /api/v1 parser before it), it checks the key, then reads the body', async () => {
    const app = express();
    staffApiChannel(h.ctx)?.mount?.(app);
    finishApp(app, silentLogger);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = await h.openCase();
      const post = (headers: Record<string, string>, body: string) =>
        fetch(`${url}/api/v1/cases/${c.trackingId}/actions`, { method: 'POST', headers, body });
      const json = { 'content-type': 'application/json' };
      const auth = { ...json, authorization: `Bearer ${key.key}` };
      const anonymous = await post(json, JSON.stringify({ action: 'acknowledge' }));
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('connection')).toBe('close');
      const malformed = await post(auth, '{"action"');
      expect([
        malformed.status,
        ((await malformed.json()) as { error: { code: string } }).error.code,
      ]).toEqual([400, 'bad_request']);
      const ok = await post(auth, JSON.stringify({ action: 'acknowledge' }));
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { case: { status: string } }).case.status).toBe('in_progress');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
