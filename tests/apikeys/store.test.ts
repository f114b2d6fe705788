import { ApiKeys } from '../../src/apikeys/store';
import { SqliteBackend } from '../../src/store/sqlite/backend';

describe('API keys', () => {
  let backend: SqliteBackend;
  let keys: ApiKeys;
  const now = new Date('2026-12-05T03:00:00Z');

  beforeEach(() => {
    backend = SqliteBackend.open({ path: ':memory:' });
    keys = new ApiKeys(backend.channelStore.scope('api-keys'), () => now);
  });
  afterEach(() => backend.close());

  test('a created key verifies for its kind only, and only the whole key does', async () => {
    const { key, record } = await keys.create({
      name: 'Dinas PUPR system',
      kind: 'staff',
      agencies: ['dinas-pupr'],
      scopes: ['cases:read'],
    });
    expect(key).toMatch(/^suara_[a-z2-7]{10}_[A-Za-z0-9_-]{43}$/);
    expect(key.slice(6, 16)).toBe(record.id);
    expect(await keys.verify(key, 'staff')).toEqual(
      expect.objectContaining({ id: record.id, agencies: ['dinas-pupr'], scopes: ['cases:read'] }),
    );
    expect(await keys.verify(key, 'open311')).toBeNull();
    // The same id with another secret, a cut key, garbage: refused.
    expect(
      await keys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`, 'staff'),
    ).toBeNull();
    expect(await keys.verify(key.slice(0, 20), 'staff')).toBeNull();
    expect(await keys.verify('suara_../../etc_x', 'staff')).toBeNull();
    expect(await keys.verify('', 'staff')).toBeNull();
  });

  test('only the hash is stored, never the key', async () => {
    const { key, record } = await keys.create({ name: 'FixMyStreet', kind: 'open311' });
    const stored = await backend.channelStore.scope('api-keys').get(`key:${record.id}`);
    expect(JSON.stringify(stored)).not.toContain(key.slice(17));
    expect(stored).toEqual(expect.objectContaining({ hash: record.hash, name: 'FixMyStreet' }));
  });

  test('a revoked key stops working and stays listed with when it was revoked', async () => {
    const a = await keys.create({ name: 'a', kind: 'open311' });
    const b = await keys.create({ name: 'b', kind: 'open311' });
    expect(await keys.revoke(a.record.id)).toBe(true);
    expect(await keys.revoke('nosuchkey1')).toBe(false);
    expect(await keys.verify(a.key, 'open311')).toBeNull();
    expect(await keys.verify(b.key, 'open311')).not.toBeNull();
    const listed = await keys.list();
    expect(listed.map((k) => [k.name, k.revokedAt ?? null])).toEqual([
      ['a', now.toISOString()],
      ['b', null],
    ]);
  });
});
