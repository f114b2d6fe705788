/**
 * The MongoDB store's pieces that need no server: documents ↔ domain round trips, the schemas'
 * strictness and indexes, the injection guards, the replica-set check. (The store contract runs
 * only against a real replica set: see the README's MongoDB section.)
 */
import mongoose from 'mongoose';
import type { Case, CaseEvent } from '../../src/cases/types';
import type { Session } from '../../src/core/ledger';
import { CodedError } from '../../src/errors';
import type { OutboxMessage } from '../../src/outbox/port';
import {
  caseDocument,
  caseFromDocument,
  eventDocument,
  eventFromDocument,
  keyValueDocument,
  keyValueFromDocument,
  outboxDocument,
  outboxFromDocument,
  sessionDocument,
  sessionFromDocument,
} from '../../src/store/mongo/documents';
import { assertNoOperators, filterString, filterStrings } from '../../src/store/mongo/guard';
import { replicaSetProblem } from '../../src/store/mongo/replica';
import { INBOUND_RETENTION_S, storeModels } from '../../src/store/mongo/schemas';
import { createdEvent, makeCase } from '../support/fixtures';

/** Models on a connection that never connects: schemas validate and cast offline. */
const models = storeModels(mongoose.createConnection());

const FULL_CASE: Case = makeCase({
  status: 'in_progress',
  location: { text: 'Jl. Melati 5', lat: -6.2, lon: 106.8 },
  attachments: [{ kind: 'photo', ref: 'AgACAgUAAxk', mimeType: 'image/jpeg' }],
  reporter: {
    channel: 'whatsapp',
    channelUserId: '6281234567001',
    conversationId: '6281234567001',
    name: 'Sari',
    phone: '081234567890',
    ref: { waId: '6281234567001', $where: 'not a key MongoDB ever sees' },
  },
  deadlines: {
    verifyBy: '2026-12-02T16:59:59.999Z',
    followUpBy: '2026-12-09T16:59:59.999Z',
  },
  rating: 4,
  stats: {
    week: '2026-11-23',
    open: true,
    firstResponseAt: '2026-11-27T04:00:00.000Z',
    responseTenths: 1,
    reopened: false,
  },
});

const MESSAGE: OutboxMessage = {
  id: 'o-1',
  idempotencyKey: 'ADU-7K3M9Q#2',
  channel: 'telegram',
  recipient: '1001',
  orderingKey: '1001',
  trackingId: 'ADU-7K3M9Q',
  payload: { type: 'status', text: 'Laporan {"$gt": ""} diproses', nested: { 'a.b': 1 } },
  status: 'sending',
  attempts: 2,
  progress: 1,
  uncertain: 1,
  retryingSince: '2026-11-27T02:00:00.000Z',
  nextAttemptAt: '2026-11-27T02:00:05.000Z',
  leaseUntil: '2026-11-27T02:00:35.000Z',
  leaseToken: 'lease-1',
  lastError: '429 Too Many Requests',
  createdAt: '2026-11-27T02:00:00.000Z',
  updatedAt: '2026-11-27T02:00:05.000Z',
};

describe('MongoDB documents ↔ domain', () => {
  test('a case: whole through JSON, its query fields beside it, valid for its schema', () => {
    const d = caseDocument(FULL_CASE);
    expect(caseFromDocument(d)).toEqual(FULL_CASE);
    expect(d).toMatchObject({
      _id: FULL_CASE.trackingId,
      agencyId: FULL_CASE.agencyId,
      status: 'in_progress',
      reporterUser: '6281234567001',
      // The running agency deadline (follow-up while in progress).
      dueAt: new Date('2026-12-09T16:59:59.999Z'),
      autoCloseAt: null,
      statWeek: '2026-11-23',
      rating: 4,
    });
    // No key of the case's own data becomes a document key.
    expect(Object.keys(d)).not.toContain('reporter');
    expect(new models.Case(d).validateSync()).toBeUndefined();
    // A minimal case (no statistics yet, nothing optional).
    const bare = makeCase();
    delete bare.stats;
    expect(caseFromDocument(caseDocument(bare))).toEqual(bare);
    expect(caseDocument(bare).statWeek).toBeNull();
  });

  test('a document whose JSON is another case is refused', () => {
    const d = caseDocument(FULL_CASE);
    expect(() => caseFromDocument({ ...d, _id: 'ADU-OTHER1' })).toThrow(/holds case/);
  });

  test('an event, a session, an outbox message, a key-value entry', () => {
    const e: CaseEvent = { ...createdEvent(FULL_CASE), note: 'catatan', public: true };
    expect(eventFromDocument(eventDocument(e))).toEqual(e);
    expect(eventDocument(e)._id).toBe(`${e.trackingId}#1`);
    expect(new models.Event(eventDocument(e)).validateSync()).toBeUndefined();

    const s: Session = {
      key: { channel: 'telegram', conversationId: '1001' },
      data: { lang: 'id', dialog: { kind: 'intake', step: 'location', $set: 'kept as data' } },
      updatedAt: '2026-11-27T02:00:00.000Z',
    };
    expect(sessionFromDocument(sessionDocument(s, 3))).toEqual({ ...s, version: 3 });
    expect(new models.Session(sessionDocument(s, 1)).validateSync()).toBeUndefined();

    expect(outboxFromDocument(outboxDocument(MESSAGE))).toEqual(MESSAGE);
    const fresh: OutboxMessage = {
      ...MESSAGE,
      status: 'pending',
      attempts: 0,
      progress: 0,
      uncertain: 0,
    };
    delete fresh.leaseUntil;
    delete fresh.leaseToken;
    delete fresh.lastError;
    delete fresh.trackingId;
    expect(outboxFromDocument(outboxDocument(fresh))).toEqual(fresh);
    expect(new models.Outbox(outboxDocument(MESSAGE)).validateSync()).toBeUndefined();
    expect(
      new models.Outbox({ ...outboxDocument(MESSAGE), status: 'lost' }).validateSync(),
    ).toBeDefined();

    const now = new Date('2026-11-27T02:00:00.000Z');
    const later = new Date('2026-11-27T03:00:00.000Z');
    const kv = keyValueDocument(
      'telegram',
      'callback:#abc',
      { v: 'category:roads_drainage' },
      now,
      later,
    );
    expect(keyValueFromDocument(kv, now)).toEqual({ v: 'category:roads_drainage' });
    expect(keyValueFromDocument(kv, later)).toBeNull();
    expect(keyValueFromDocument(keyValueDocument('slack', 'k', 42, now), later)).toBe(42);
    expect(new models.KeyValue(kv).validateSync()).toBeUndefined();
  });
});

describe('MongoDB schemas', () => {
  test('a field a schema does not list is refused, in documents and in filters', () => {
    expect(() => new models.Case({ ...caseDocument(FULL_CASE), $where: '1' })).toThrow();
    expect(() => new models.Case({ ...caseDocument(FULL_CASE), extra: 1 })).toThrow(
      /not in schema/,
    );
    expect(() => models.Case.find({ notAField: 'x' }).cast()).toThrow(/not in schema/);
  });

  test('the connection sanitizes filters: a `$` object as a value is matched literally', () => {
    const connection = mongoose.createConnection();
    storeModels(connection);
    expect(connection.get('sanitizeFilter')).toBe(true);
    expect(mongoose.sanitizeFilter({ _id: { $gt: '' } })).toEqual({ _id: { $eq: { $gt: '' } } });
  });

  test('the indexes the queries need, unique keys and expiry', () => {
    const indexes = (m: { schema: mongoose.Schema }) => m.schema.indexes();
    expect(indexes(models.Event)).toContainEqual([
      { trackingId: 1, seq: 1 },
      expect.objectContaining({ unique: true }),
    ]);
    expect(indexes(models.Session)).toContainEqual([
      { channel: 1, conversationId: 1 },
      expect.objectContaining({ unique: true }),
    ]);
    expect(indexes(models.Outbox)).toContainEqual([
      { idempotencyKey: 1 },
      expect.objectContaining({ unique: true }),
    ]);
    expect(indexes(models.Outbox)).toContainEqual([
      { status: 1, channel: 1, nextAttemptAt: 1 },
      expect.anything(),
    ]);
    expect(indexes(models.Case)).toContainEqual([
      { agencyId: 1, dueAt: 1, _id: 1, status: 1 },
      expect.anything(),
    ]);
    expect(indexes(models.Inbound)).toContainEqual([
      { receivedAt: 1 },
      expect.objectContaining({ expireAfterSeconds: INBOUND_RETENTION_S }),
    ]);
    expect(indexes(models.KeyValue)).toContainEqual([
      { expiresAt: 1 },
      expect.objectContaining({ expireAfterSeconds: 0 }),
    ]);
  });
});

describe('MongoDB injection guards', () => {
  test.each([
    ['an operator object', { $gt: '' }, /not an object/],
    ['an array', ['ADU-7K3M9Q'], /not an array/],
    ['a number', 42, /not a number/],
    ['null', null, /not null/],
    ['"$where"', '$where', /must not start with "\$"/],
    ['a NUL', 'ADU\u0000', /NUL/],
    ['1,025 characters', 'x'.repeat(1025), /longer than 1024/],
  ])('%s as a tracking id is refused before any query', (_what, value, message) => {
    let thrown: unknown;
    try {
      filterString(value, 'tracking id');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect((thrown as CodedError).code).toBe('bad_request');
    expect((thrown as Error).message).toMatch(message);
  });

  test('plain ids pass as they are', () => {
    expect(filterString('ADU-7K3M9Q', 'tracking id')).toBe('ADU-7K3M9Q');
    expect(filterStrings(['a', 'b-c'], 'id')).toEqual(['a', 'b-c']);
    expect(() => filterStrings(['a', { $ne: null }], 'id')).toThrow(/not an object/);
  });

  test('operators anywhere in a filter are refused', () => {
    expect(() => assertNoOperators({ status: 'received', $where: 'sleep(1000)' })).toThrow(
      /\$where/,
    );
    expect(() => assertNoOperators({ reporter: { user: { $ne: null } } })).toThrow(
      /filter\.reporter\.user/,
    );
    expect(() => assertNoOperators({ agencyId: 'dinas-pupr', status: 'received' })).not.toThrow();
  });
});

describe('MongoDB replica set', () => {
  test('a standalone server is refused with one clear line; a replica set or mongos is fine', () => {
    expect(replicaSetProblem({ isWritablePrimary: true }, 'mongodb://db:27017')).toMatch(
      /^MongoDB at mongodb:\/\/db:27017 is a standalone server: Suara needs transactions/,
    );
    expect(replicaSetProblem({ setName: 'rs0', isWritablePrimary: true })).toBeNull();
    expect(replicaSetProblem({ msg: 'isdbgrid' })).toBeNull();
  });
});
