import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '../store/channel-store';

/** The namespace of API keys in the channel store. */
export const API_KEYS_SCOPE = 'api-keys';

/** What a key is for: an Open311 client app, or an agency's own system on the staff API. */
export const API_KEY_KINDS = ['open311', 'staff'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

/** Scopes of staff API keys. */
export const API_SCOPES = ['cases:read', 'cases:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  /** The key's public id (the part after `suara_`), shown in lists and used to revoke it. */
  id: string;
  name: string;
  kind: ApiKeyKind;
  /** Agencies a staff key works for (empty for Open311 keys). */
  agencies: string[];
  scopes: ApiScope[];
  /** SHA-256 of the whole key, base64url. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

const PREFIX = 'suara_';
const ID = /^[a-z2-7]{10}$/;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * API keys kept hashed in the store (a key is shown once, at creation): `suara_<id>_<secret>`,
 * where the id finds the record and the secret proves the holder. Revoked keys stay listed.
 *
 * @example
 * const keys = new ApiKeys(backend.channelStore.scope('api-keys'), clock);
 * const { key } = await keys.create({ name: 'FixMyStreet', kind: 'open311' });
 * (await keys.verify(key, 'open311'))?.name // 'FixMyStreet'
 */
export class ApiKeys {
  constructor(
    private readonly data: KeyValueStore,
    private readonly clock: () => Date,
  ) {}

  async create(input: {
    name: string;
    kind: ApiKeyKind;
    agencies?: string[];
    scopes?: ApiScope[];
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = base32(randomBytes(7)).slice(0, 10);
    const key = `${PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id,
      name: input.name,
      kind: input.kind,
      agencies: input.agencies ?? [],
      scopes: input.scopes ?? [],
      hash: sha256(key),
      createdAt: this.clock().toISOString(),
    };
    await this.data.put(`key:${id}`, record);
    const index = await this.ids();
    await this.data.put('index', [...index, id]);
    return { key, record };
  }

  /** The live record of a presented key of this kind, or null (unknown, wrong, revoked). */
  async verify(presented: string, kind: ApiKeyKind): Promise<ApiKeyRecord | null> {
    if (!presented.startsWith(PREFIX) || presented.length > 200) return null;
    const id = presented.slice(PREFIX.length, PREFIX.length + 10);
    if (!ID.test(id)) return null;
    const record = await this.get(id);
    if (!record || record.revokedAt || record.kind !== kind) return null;
    const given = Buffer.from(sha256(presented));
    const expected = Buffer.from(record.hash);
    return given.length === expected.length && timingSafeEqual(given, expected) ? record : null;
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    if (!ID.test(id)) return null;
    const value = await this.data.get(`key:${id}`);
    return typeof value === 'object' && value !== null ? (value as ApiKeyRecord) : null;
  }

  /** Revokes a key by its id; false when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const record = await this.get(id);
    if (!record) return false;
    if (!record.revokedAt) {
      await this.data.put(`key:${id}`, { ...record, revokedAt: this.clock().toISOString() });
    }
    return true;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const records = await Promise.all((await this.ids()).map((id) => this.get(id)));
    return records.filter((r): r is ApiKeyRecord => r !== null);
  }

  private async ids(): Promise<string[]> {
    const value = await this.data.get('index');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

/** RFC 4648 base32, lowercase, no padding. */
function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
