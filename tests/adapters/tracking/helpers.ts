import { type TrackingOptions, trackingChannel } from '../../../adapters/tracking';
import type { NewCaseInput } from '../../../src/cases/new-case';
import type { Case } from '../../../src/cases/types';
import type { Config } from '../../../src/config/env';
import { silentLogger } from '../../../src/logger';
import { type RunningService, startService } from '../../../src/service';
import { testConfig } from '../../support/config';
import { manualClock } from '../../support/fixtures';
import { testNlu } from '../../support/nlu';

/** Friday 27 Nov 2026, 09:00 in Jakarta: a working day. */
export const START = '2026-11-27T02:00:00.000Z';
export const STAFF = { type: 'staff' as const, id: 'U1', name: 'Petugas Budi' };
export const PUBLIC_URL = 'https://lapor.example.go.id';

/** What the reporter gave: none of it may ever reach the tracking page. */
export const PERSONAL = {
  name: 'Siti Aminah Wulandari',
  phone: '+6281234567890',
  email: 'siti.aminah@contoh.id',
  channelUserId: 'citizen-987654',
  text: 'Jalan depan rumah Bu Siti berlubang besar sekali, anak saya Rudi jatuh kemarin sore',
  location: 'Jl. Kenanga No. 17, RT 04/RW 09, Kelurahan Sukamaju',
};

/** Every piece of personal data, and telling fragments of it, to look for in a page. */
export const PERSONAL_FRAGMENTS = [
  PERSONAL.name,
  'Siti',
  PERSONAL.phone,
  '81234567890',
  PERSONAL.email,
  PERSONAL.channelUserId,
  PERSONAL.text,
  'berlubang',
  'Rudi',
  PERSONAL.location,
  'Kenanga',
  '6.2001234',
  '106.8165432',
  'telegram',
];

/** The real service with the tracking page, a clock the test moves, and a helper to open cases. */
export async function startTracking(
  options: Partial<TrackingOptions> = {},
  config: Partial<Config> = {},
) {
  const clock = manualClock(START);
  const service: RunningService = await startService(
    testConfig({ publicUrl: PUBLIC_URL, ...config }),
    {
      logger: silentLogger,
      host: '127.0.0.1',
      nlu: testNlu(),
      clock,
      channels: [trackingChannel(options)],
    },
  );
  const origin = `http://127.0.0.1:${service.port}`;

  /** Opens a road complaint through the core with the reporter's {@link PERSONAL} data. */
  async function openCase(input: Partial<NewCaseInput> = {}): Promise<Case> {
    const { case: c } = await service.cases.open(
      {
        kind: 'complaint',
        text: PERSONAL.text,
        language: 'id',
        category: 'roads_drainage',
        location: { text: PERSONAL.location, lat: -6.2001234, lon: 106.8165432 },
        reporter: {
          channel: 'telegram',
          channelUserId: PERSONAL.channelUserId,
          conversationId: PERSONAL.channelUserId,
          name: PERSONAL.name,
          phone: PERSONAL.phone,
          email: PERSONAL.email,
        },
        identity: 'named',
        ...input,
      },
      { type: 'citizen', id: PERSONAL.channelUserId, name: PERSONAL.name },
    );
    return c;
  }

  /** GET without following redirects. */
  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${origin}${path}`, { headers, redirect: 'manual' });
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  return { service, clock, origin, openCase, get };
}
