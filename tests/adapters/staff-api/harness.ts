import { staffApiChannel, staffApiDocument } from '../../../adapters/staff-api';
import { API_KEYS_SCOPE, ApiKeys, type ApiScope } from '../../../src/apikeys/store';
import type { NewCaseInput } from '../../../src/cases/new-case';
import type { Case } from '../../../src/cases/types';
import type { ChannelContext, ChannelFactory } from '../../../src/channel';
import { silentLogger } from '../../../src/logger';
import { MediaUnavailable } from '../../../src/media';
import type { OutboxMessage } from '../../../src/outbox/port';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';
import { type Checker, startChecker } from './openapi-checker';

/** The citizen channel of these tests; its recording sender gets the citizen notifications. */
export const CITIZEN_CHANNEL = 'citizen-test';
/** Friday 27 Nov 2026, 09:00 in Jakarta: a working day. */
export const START = '2026-11-27T02:00:00.000Z';
export const ALL_SCOPES: ApiScope[] = ['cases:read', 'cases:write'];

/** One HTTP answer, read whole and already checked against the OpenAPI document. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers freely
  body: any;
  /** The raw bytes of an answer that is not JSON (a downloaded file). */
  bytes: Buffer;
  /** The operation of the document the request matched (null: not an API operation). */
  operationId: string | null;
}

/**
 * The real service with the staff API and a recording citizen channel, a clock the test moves,
 * and the OpenAPI checker: every answer of {@link StaffApiHarness.client} to a request that
 * matches an operation of the document is checked against it, and a mismatch fails the test.
 */
export async function startStaffApi() {
  const clock = manualClock(START);
  const citizen: OutboxMessage[] = [];
  /** The files citizens sent on the test channel, by reference (see `media`). */
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const citizenChannel: ChannelFactory = () => ({
    name: CITIZEN_CHANNEL,
    media: {
      [CITIZEN_CHANNEL]: {
        async open(ref) {
          const file = files.get(ref);
          if (!file) throw new MediaUnavailable(`no file ${ref}`);
          return { body: new Blob([file.bytes]).stream(), mimeType: file.mimeType };
        },
      },
    },
    senders: {
      [CITIZEN_CHANNEL]: {
        async send(m) {
          citizen.push(m);
          return { status: 'sent' };
        },
      },
    },
  });
  let context: ChannelContext | undefined;
  const service: RunningService = await startService(testConfig(), {
    logger: silentLogger,
    host: '127.0.0.1',
    nlu: testNlu(),
    clock,
    channels: [
      (ctx) => {
        context = ctx;
        return staffApiChannel(ctx);
      },
      citizenChannel,
    ],
  });
  if (!context) throw new Error('the staff API did not start');
  const ctx: ChannelContext = context;
  const checker: Checker = await startChecker(staffApiDocument());
  const keys = new ApiKeys(service.backend.channelStore.scope(API_KEYS_SCOPE), clock);
  let reporters = 0;

  /** A staff key for `agencies` with `scopes` (both by default); returns the key and its id. */
  async function createKey(agencies: string[], scopes: ApiScope[] = ALL_SCOPES, name = 'SIMPUPR') {
    const { key, record } = await keys.create({ name, kind: 'staff', agencies, scopes });
    return { key, id: record.id };
  }

  /** Opens a case as a citizen of the test channel (roads: Dinas PUPR unless said otherwise). */
  async function openCase(input: Partial<NewCaseInput> & { agencyId?: string } = {}) {
    const user = `c${++reporters}`;
    const { case: c } = await service.cases.open(
      {
        kind: 'complaint',
        text: 'Jalan depan rumah saya berlubang besar, motor sering jatuh',
        language: 'id',
        category: 'roads_drainage',
        reporter: {
          channel: CITIZEN_CHANNEL,
          channelUserId: user,
          conversationId: user,
          name: 'Siti Aminah',
          phone: '081234567890',
        },
        identity: 'named',
        ...input,
      },
      { type: 'citizen', id: user },
    );
    return c;
  }

  /** Delivers every due outbox message (bounded). */
  async function deliver(): Promise<void> {
    for (let round = 0; round < 200; round++) {
      await service.dispatcher.runOnce();
      const pending = await service.backend.outbox.list({ status: 'pending' });
      const due = pending.filter((m) => new Date(m.nextAttemptAt) <= clock());
      const sending = await service.backend.outbox.list({ status: 'sending' });
      if (due.length === 0 && sending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the outbox did not drain');
  }

  /** Sends a request and checks the answer against the document. */
  async function send(
    method: 'GET' | 'POST',
    path: string,
    options: { key?: string; body?: unknown; raw?: string; contentType?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.raw !== undefined || options.body !== undefined) {
      body = options.raw ?? JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
    const parsed: unknown = isJson && text ? JSON.parse(text) : null;
    const check = await checker.response({
      method,
      path,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers: Object.fromEntries(res.headers.entries()),
      body: parsed,
    });
    if (check.operationId && !check.valid) {
      throw new Error(
        `${method} ${path} → ${res.status} does not match the OpenAPI document: ` +
          `${JSON.stringify(check.errors)}\n${text.slice(0, 2000)}`,
      );
    }
    return {
      status: res.status,
      headers: res.headers,
      body: parsed,
      bytes,
      operationId: check.operationId ?? null,
    };
  }

  /** Requests as the holder of `key` (none: no Authorization header). */
  function client(key?: string) {
    const auth = key === undefined ? {} : { key };
    return {
      get: (path: string) => send('GET', path, auth),
      act: (trackingId: string, body: unknown) =>
        send('POST', `/api/v1/cases/${encodeURIComponent(trackingId)}/actions`, { ...auth, body }),
      post: (path: string, options: { body?: unknown; raw?: string; contentType?: string }) =>
        send('POST', path, { ...auth, ...options }),
    };
  }

  /** The citizen notifications about one case delivered so far. */
  const toCitizen = (c: Pick<Case, 'trackingId'>) =>
    citizen.filter((m) => JSON.stringify(m.payload).includes(c.trackingId));

  return {
    service,
    /** The context the staff API channel was built with (to mount it elsewhere). */
    ctx,
    clock,
    citizen,
    files,
    checker,
    keys,
    createKey,
    openCase,
    deliver,
    client,
    toCitizen,
    async stop() {
      await checker.stop();
      await service.stop();
    },
  };
}

export type StaffApiHarness = Awaited<ReturnType<typeof startStaffApi>>;
