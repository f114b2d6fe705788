import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { open311Channel } from '../../../adapters/open311';
import { ApiKeys } from '../../../src/apikeys/store';
import type { NewCaseInput } from '../../../src/cases/new-case';
import type { Case } from '../../../src/cases/types';
import { API_KEYS_SCOPE } from '../../../src/cli/api-key';
import type { Config } from '../../../src/config/env';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';

/** Friday 27 Nov 2026, 09:00 in Jakarta. */
export const START = '2026-11-27T02:00:00.000Z';
export const BASE = '/open311/v2';

/** One HTTP answer, read whole. */
export interface Answer {
  status: number;
  type: string;
  text: string;
  /** The JSON body (throws when it is not JSON). */
  json: () => unknown;
  headers: Headers;
}

async function answer(res: globalThis.Response): Promise<Answer> {
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text,
    json: () => JSON.parse(text),
    headers: res.headers,
  };
}

/** Requests against a running service's Open311 interface. */
export function open311Client(url: string) {
  return {
    get: async (path: string) => answer(await fetch(`${url}${BASE}${path}`)),
    /** POSTs form fields (a record, or pairs for repeated names). */
    post: async (path: string, form: Record<string, string> | [string, string][]) =>
      answer(
        await fetch(`${url}${BASE}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: new URLSearchParams(form).toString(),
        }),
      ),
    postJson: async (path: string, body: unknown) =>
      answer(
        await fetch(`${url}${BASE}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }),
      ),
  };
}

/** Element names whose items the tests read as lists. */
const LISTS = new Set(['service', 'request', 'attribute', 'value', 'error']);

/** Checks that `xml` is well-formed and parses it (every leaf as text, items as lists). */
export function parseXml(xml: string): Record<string, unknown> {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const parser = new XMLParser({
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => LISTS.has(name),
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** The real service with only the Open311 channel, a clock the test moves and an Open311 key. */
export async function startOpen311(overrides: Partial<Config> = {}) {
  const clock = manualClock(START);
  const service: RunningService = await startService(testConfig(overrides), {
    logger: silentLogger,
    host: '127.0.0.1',
    nlu: testNlu(),
    clock,
    channels: [open311Channel],
  });
  const keys = new ApiKeys(service.backend.channelStore.scope(API_KEYS_SCOPE), clock);
  const { key, record } = await keys.create({ name: 'FixMyStreet', kind: 'open311' });

  /** Opens a case through the core, as a Telegram citizen would. */
  async function openCase(input: Partial<NewCaseInput> = {}): Promise<Case> {
    const { case: c } = await service.cases.open(
      {
        kind: 'complaint',
        text: 'Jalan depan rumah saya berlubang besar, motor sering jatuh',
        language: 'id',
        category: 'roads_drainage',
        location: { text: 'Jl. Merdeka 10', lat: -6.2, lon: 106.8 },
        reporter: { channel: 'telegram', channelUserId: '1001', name: 'Siti Aminah' },
        identity: 'named',
        ...input,
      },
      { type: 'citizen', id: '1001' },
    );
    return c;
  }

  return {
    service,
    clock,
    keys,
    key,
    keyId: record.id,
    openCase,
    ...open311Client(service.url),
    stop: () => service.stop(),
  };
}

/** A valid `POST requests` form for roads_drainage with `key`; override any field. */
export function roadForm(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    api_key: key,
    service_code: 'roads_drainage',
    lat: '-6.1754',
    long: '106.8272',
    description: 'Jalan di depan sekolah berlubang besar dan dalam, motor sering jatuh',
    'attribute[damage_kind]': 'pothole',
    ...extra,
  };
}
