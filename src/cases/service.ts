import { CodedError } from '../errors';
import type { NewOutboxMessage } from '../outbox/port';
import { caseStats, statsFromHistory } from '../stats/facts';
import type { Backend } from '../store/backend';
import type { ChangeSet } from '../store/change-set';
import { type DeadlinePlanner, planDeadlines } from './deadlines';
import { type AgencyDirectory, findAgency, type RouteReason, route } from './directory';
import { type NewCaseInput, newCase } from './new-case';
import { type CaseAction, transition } from './state-machine';
import { generateTrackingId, normalizeTrackingId, type RandomBytes } from './tracking-id';
import type { Actor, Case, CaseEvent } from './types';

/** One accepted change of a case, handed to `notify` to decide who must be told. */
export interface CaseChange {
  before: Case | null;
  after: Case;
  event: CaseEvent;
}

export interface CaseServiceDeps {
  backend: Pick<Backend, 'commit' | 'cases' | 'queries'>;
  directory: AgencyDirectory;
  planner: DeadlinePlanner;
  clock: () => Date;
  randomBytes: RandomBytes;
  /**
   * The outbox messages a change causes (a citizen notification, a post on a staff desk…). They are written
   * in the same transaction as the change, so a change is never without its notifications.
   */
  notify?: (change: CaseChange) => NewOutboxMessage[];
  /** Category predictions below this confidence go to the triage desk. Default 0. */
  minRouteConfidence?: number;
}

const MAX_ID_ATTEMPTS = 8;

const MAX_CONFLICT_RETRIES = 3;

/**
 * Opens, changes and finds cases: the I/O around the pure domain (tracking ids, routing,
 * transitions, deadlines). Each operation is one store transaction, optionally together with the
 * caller's own changes (`extra`: e.g. the dialog session and the inbound message record).
 *
 * @example
 * const cases = new CaseService({ backend, directory, planner, clock, randomBytes: crypto.randomBytes });
 * const { case: c } = await cases.open(input, { type: 'citizen', id: '12345' });
 * await cases.act(c.trackingId, { type: 'verify' }, { type: 'staff', id: 'U024BE7LH' });
 */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  /**
   * Creates a case in `received`, routed by category (or to `agencyId` when given and known),
   * with a fresh collision-checked tracking id. `extra` may be a function of the new case, so a
   * caller can write what depends on its tracking id (a reply, a session) in the same transaction.
   */
  async open(
    input: NewCaseInput & { categoryConfidence?: number; agencyId?: string },
    actor: Actor,
    extra: ChangeSet | ((created: Case) => ChangeSet) = {},
  ): Promise<{ case: Case; event: CaseEvent; routeReason: RouteReason }> {
    const { backend, directory, planner, clock, randomBytes } = this.deps;
    const routing: { agencyId: string; reason: RouteReason } =
      input.agencyId && findAgency(directory, input.agencyId)
        ? { agencyId: input.agencyId, reason: 'category' }
        : route(directory, input.category, {
            ...(input.categoryConfidence !== undefined
              ? { confidence: input.categoryConfidence }
              : {}),
            minConfidence: this.deps.minRouteConfidence ?? 0,
          });
    for (let attempt = 1; ; attempt++) {
      const trackingId = generateTrackingId(randomBytes);
      if (await backend.cases.exists(trackingId)) {
        if (attempt >= MAX_ID_ATTEMPTS)
          throw new CodedError('id_exhausted', 'could not find a free tracking id');
        continue;
      }
      const now = clock();
      const created = newCase(input, trackingId, routing.agencyId, actor, now);
      created.case.deadlines = planDeadlines(planner, created.case, 'created', now);
      try {
        const changes = typeof extra === 'function' ? extra(created.case) : extra;
        await this.write(null, created.case, created.event, changes, now);
      } catch (err) {
        // Another instance took the same id between the check and the insert: draw again.
        const idTaken =
          err instanceof CodedError && err.code === 'duplicate' && err.details?.entity === 'case';
        if (idTaken && attempt < MAX_ID_ATTEMPTS) continue;
        throw err;
      }
      return { ...created, routeReason: routing.reason };
    }
  }

  /**
   * Applies an action to a case. Throws a CodedError: `not_found`, `unknown_agency`, a transition
   * code (`invalid_transition`, `note_required`, …), or `conflict` when concurrent writers kept
   * winning. `check` sees the very version about to change (again on each retry) and throws to
   * refuse it, e.g. the staff rules' `forbidden` for a case that moved to another agency.
   */
  async act(
    trackingId: string,
    action: CaseAction,
    actor: Actor,
    extra: ChangeSet | ((changed: Case) => ChangeSet) = {},
    check?: (current: Case) => void,
  ): Promise<{ case: Case; event: CaseEvent }> {
    if (action.type === 'transfer' && !findAgency(this.deps.directory, action.toAgencyId)) {
      throw new CodedError('unknown_agency', `no agency ${action.toAgencyId} in the directory`);
    }
    for (let attempt = 1; ; attempt++) {
      const current = await this.deps.backend.cases.get(trackingId);
      if (!current) throw new CodedError('not_found', `no case ${trackingId}`);
      check?.(current);
      const now = this.deps.clock();
      const r = transition(current, action, actor, now);
      if (!r.ok) throw new CodedError(r.error.code, r.error.message);
      r.case.deadlines = planDeadlines(this.deps.planner, r.case, r.event.type, now);
      try {
        const changes = typeof extra === 'function' ? extra(r.case) : extra;
        await this.write(current, r.case, r.event, changes, now);
        return { case: r.case, event: r.event };
      } catch (err) {
        // Only the case's own version is worth another try here; a conflict of something else
        // in the same change set (the turn's session) belongs to its caller.
        if (
          err instanceof CodedError &&
          err.code === 'conflict' &&
          err.details?.entity === 'case' &&
          attempt < MAX_CONFLICT_RETRIES
        )
          continue;
        throw err;
      }
    }
  }

  /**
   * Closes resolved cases whose auto-close time has passed (the citizen did not answer), as the
   * system, with a public note. Returns the tracking ids closed. Safe to run from several
   * instances: a case another instance closed first is skipped.
   */
  async autoClose(limit = 200): Promise<string[]> {
    const due = await this.deps.backend.queries.list(
      { autoCloseDue: this.deps.clock() },
      { limit, order: 'oldest' },
    );
    const closed: string[] = [];
    for (const c of due.cases) {
      try {
        await this.act(
          c.trackingId,
          { type: 'close', note: this.deps.planner.rules.autoCloseNote?.[c.language] ?? '' },
          { type: 'system', id: 'auto-close' },
        );
        closed.push(c.trackingId);
      } catch (err) {
        if (
          !(
            err instanceof CodedError &&
            (err.code === 'invalid_transition' || err.code === 'conflict')
          )
        )
          throw err;
      }
    }
    return closed;
  }

  /** Finds a case by what a citizen typed (any case, O/0 and I/L/1 confusions). */
  async find(typed: string): Promise<Case | null> {
    const id = normalizeTrackingId(typed);
    return id ? this.deps.backend.cases.get(id) : null;
  }

  private async write(
    before: Case | null,
    after: Case,
    event: CaseEvent,
    extra: ChangeSet,
    now: Date,
  ) {
    const calendar = this.deps.planner.calendar;
    // A case from before statistics were kept: its figures so far come from its history first.
    const previous =
      before && !before.stats
        ? {
            ...before,
            stats: statsFromHistory(
              calendar,
              before,
              await this.deps.backend.cases.events(before.trackingId),
            ),
          }
        : before;
    after.stats = caseStats(calendar, previous, after, event);
    const outbox = this.deps.notify?.({ before, after, event }) ?? [];
    await this.deps.backend.commit({
      ...extra,
      now,
      cases: [
        ...(extra.cases ?? []),
        { case: after, expectedVersion: before ? before.version : null },
      ],
      events: [...(extra.events ?? []), event],
      outbox: [...(extra.outbox ?? []), ...outbox],
    });
  }
}
