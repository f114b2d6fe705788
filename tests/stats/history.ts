import { CaseService } from '../../src/cases/service';
import type { CaseAction } from '../../src/cases/state-machine';
import type { Actor, Case, CaseEvent, CaseKind, IdentityMode } from '../../src/cases/types';
import type { Backend } from '../../src/store/backend';
import { CATEGORIES, type Category } from '../../src/taxonomy';
import { mulberry32, projectDirectory, projectPlanner, seededBytes } from '../cases/helpers';
import { manualClock } from '../support/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 1 June 2026, 00:00 WIB. */
export const HISTORY_START = Date.parse('2026-05-31T17:00:00.000Z');
export const HISTORY_WEEKS = 20;

const OFFICER: Actor = { type: 'staff', id: 'U-officer', name: 'Sari' };
const KEY: Actor = { type: 'staff', id: 'apikey:k1', name: 'SIMPUPR' };

/** Random choices from mulberry32: the same history on every run. */
function prng(seed: number) {
  const u32 = mulberry32(seed);
  const next = () => u32() / 4294967296;
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
    /** A span of `min`–`max` hours, in ms. */
    hours: (min: number, max: number) => Math.round((min + next() * (max - min)) * HOUR),
  };
}

interface Step {
  at: number;
  /** Index of the case in creation order. */
  n: number;
  action: CaseAction;
  actor: Actor;
}

/** What a test keeps of each case to compute the figures itself. */
export interface Recorded {
  trackingId: string;
  /** The case as stored right before the event that first finished it. */
  beforeFinish?: Case;
}

/**
 * Files `count` cases over {@link HISTORY_WEEKS} weeks through the real case service and walks
 * each through a random life (verify or start, a question to the citizen, a transfer, an internal
 * note, resolve or reject, a rating, a reopening and a second resolve), all steps in time order.
 */
export async function generateHistory(backend: Backend, count: number, seed = 7) {
  const r = prng(seed);
  const clock = manualClock();
  const planner = projectPlanner();
  const service = new CaseService({
    backend,
    directory: projectDirectory(),
    planner,
    clock,
    randomBytes: seededBytes(seed),
  });
  const agencies = projectDirectory().agencies.map((a) => a.id);
  const births = Array.from(
    { length: count },
    () => HISTORY_START + r.next() * HISTORY_WEEKS * 7 * DAY,
  )
    .map(Math.floor)
    .sort((a, b) => a - b);
  const steps: Step[] = [];
  births.forEach((born, n) => {
    let t = born;
    const step = (hours: [number, number], action: CaseAction, actor: Actor = OFFICER) => {
      t += r.hours(...hours);
      steps.push({ at: t, n, action, actor });
    };
    if (r.chance(0.12)) return; // never answered
    if (r.chance(0.1)) step([1, 30], { type: 'note', note: 'cek lokasi', public: false });
    if (r.chance(0.08)) {
      step([1, 48], {
        type: 'transfer',
        toAgencyId: r.pick(agencies),
        note: 'bukan wewenang kami',
      });
    }
    const first = r.next();
    if (first < 0.1) {
      step([1, 72], { type: 'request_info', note: 'Mohon kirim foto lokasi' });
      step(
        [1, 48],
        { type: 'info_received', note: 'ini fotonya' },
        { type: 'citizen', id: `c${n}` },
      );
    } else if (first < 0.2) {
      step([1, 72], { type: 'note', note: 'Sedang kami pelajari', public: true }, KEY);
    }
    step([1, 200], r.chance(0.5) ? { type: 'verify' } : { type: 'start' });
    if (r.chance(0.2)) return; // still being worked on
    if (r.chance(0.1)) {
      step([1, 240], { type: 'reject', note: 'Bukan pengaduan' });
      return;
    }
    step([1, 300], { type: 'resolve', note: 'Sudah ditangani' });
    const citizen: Actor = { type: 'citizen', id: `c${n}` };
    if (r.chance(0.12)) {
      step([1, 48], { type: 'reopen', note: 'Belum beres' }, citizen);
      step([1, 120], { type: 'resolve', note: 'Sudah diperbaiki lagi' });
    }
    if (r.chance(0.45)) {
      step([1, 72], { type: 'close', rating: 1 + Math.floor(r.next() * 5) }, citizen);
    }
  });
  steps.sort((a, b) => a.at - b.at || a.n - b.n);

  const recorded: Recorded[] = [];
  const kinds: CaseKind[] = ['complaint', 'complaint', 'complaint', 'aspiration', 'handoff'];
  const identities: IdentityMode[] = ['named', 'named', 'anonymous', 'confidential'];
  let born = 0;
  const bear = async (until: number) => {
    while (born < births.length && (births[born] ?? 0) <= until) {
      clock.set(new Date(births[born] ?? 0).toISOString());
      const { case: c } = await service.open(
        {
          kind: r.pick(kinds),
          text: `Laporan nomor ${born}`,
          language: 'id',
          category: r.pick(CATEGORIES as readonly Category[]),
          reporter: { channel: 'test', channelUserId: `c${born}` },
          identity: r.pick(identities),
        },
        { type: 'citizen', id: `c${born}` },
      );
      recorded.push({ trackingId: c.trackingId });
      born++;
    }
  };
  for (const s of steps) {
    await bear(s.at);
    clock.set(new Date(s.at).toISOString());
    const rec = recorded[s.n];
    if (!rec) throw new Error(`step of case ${s.n} before its birth`);
    const finishes = ['resolve', 'reject', 'close'].includes(s.action.type);
    if (finishes && !rec.beforeFinish) {
      rec.beforeFinish = (await backend.cases.get(rec.trackingId)) ?? undefined;
    }
    let action = s.action;
    if (action.type === 'transfer') {
      // Never to the agency it is with: the next one in the directory instead.
      const now = await backend.cases.get(rec.trackingId);
      if (now?.agencyId === action.toAgencyId) {
        const next = agencies[(agencies.indexOf(action.toAgencyId) + 1) % agencies.length];
        action = { ...action, toAgencyId: next ?? action.toAgencyId };
      }
    }
    await service.act(rec.trackingId, action, s.actor);
  }
  await bear(Number.POSITIVE_INFINITY);
  return { recorded, calendar: planner.calendar, steps: steps.length };
}

/** Every case with its history, read back. */
export async function readBack(backend: Backend, recorded: Recorded[]) {
  return Promise.all(
    recorded.map(async (rec) => ({
      rec,
      c: (await backend.cases.get(rec.trackingId)) as Case,
      events: await backend.cases.events(rec.trackingId),
    })),
  );
}

export type CaseWithHistory = { rec: Recorded; c: Case; events: CaseEvent[] };
