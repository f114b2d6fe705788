import type { DeadlinePlanner } from '../cases/deadlines';
import { type AgencyDirectory, findAgency } from '../cases/directory';
import type { CaseService } from '../cases/service';
import type { Case } from '../cases/types';
import type { Article } from '../knowledge/articles';
import type { KnowledgeBase } from '../knowledge/knowledge-base';
import type { AgencyRouter } from '../nlu/agency-router';
import type { Classification, Nlu } from '../nlu/nlu';
import type { Backend } from '../store/backend';
import type { OutboxLeaseRequest } from '../store/change-set';
import type { Language } from '../taxonomy';
import type { Texts } from './i18n';
import type { SessionData } from './session';
import type { Choice, InboundMessage, Reply } from './types';

/** Everything the bot needs, injected (no globals, no clock or environment of its own). */
export interface BotDeps {
  backend: Pick<Backend, 'commit' | 'cases' | 'queries' | 'ledger'>;
  cases: CaseService;
  nlu: Nlu;
  knowledge: KnowledgeBase<Article>;
  agencyRouter: AgencyRouter;
  directory: AgencyDirectory;
  planner: DeadlinePlanner;
  texts: Texts;
  clock: () => Date;
  /** A dialog untouched for this long restarts. Default 30 minutes. */
  sessionTimeoutMs?: number;
  /**
   * The address of a case's public tracking page in the citizen's language, linked from the
   * confirmation of a new report. Unset (no public URL configured): no link.
   *
   * @example
   * trackingUrl: (id, lang) => `https://lapor.kota.go.id/lacak/${id}${lang === 'en' ? '?lang=en' : ''}`
   */
  trackingUrl?: TrackingUrl;
  /**
   * The outbox that delivers replies. For a channel it `delivers` (it has a sender), a turn's
   * replies are queued in the turn's own transaction and the outbox is woken to send them at
   * once. Without it (the CLI, tests) replies are only `handle`'s result.
   */
  outbox?: ReplyOutbox;
}

/** The address of a case's public tracking page, for a citizen reading `lang`. */
export type TrackingUrl = (trackingId: string, lang: Language) => string;

/** What the bot needs of the outbox dispatcher. */
export interface ReplyOutbox {
  /** True when the outbox has a sender for the channel. */
  delivers(channel: string): boolean;
  /** Look for due messages now: of `channel` only when given, else of every channel. */
  wake(channel?: string): void;
  /**
   * Lease the replies a turn queues for `channel` to the dispatcher in the turn's own commit, so
   * they are sent at once without a claim (undefined: no free slot, they wait for a claim).
   */
  leaseFor?(channel: string): OutboxLeaseRequest | undefined;
}

/** A case change the turn asks for; it is written together with the turn's session and replies. */
export type CaseEffect =
  | { kind: 'open'; input: Parameters<CaseService['open']>[0]; reply: (c: Case) => Reply[] }
  | {
      kind: 'act';
      trackingId: string;
      action: Parameters<CaseService['act']>[1];
      reply: (c: Case) => Reply[];
    };

/** One turn: the message, the conversation state, and the replies being built. */
export class TurnContext {
  readonly replies: Reply[] = [];
  effect: CaseEffect | undefined;
  /** Weekly statistics counters this turn adds one to (see {@link TurnContext.count}). */
  readonly tallies: string[] = [];
  private classified: Classification | undefined;

  constructor(
    readonly deps: BotDeps,
    readonly msg: InboundMessage,
    public session: SessionData,
    public lang: Language,
    /** The message text, trimmed (may be empty). */
    readonly text: string,
  ) {}

  get now(): Date {
    return this.msg.receivedAt;
  }

  /** The classification of the message text, computed once. */
  get classification(): Classification {
    this.classified ??= this.deps.nlu.classify(this.text, this.lang);
    return this.classified;
  }

  /**
   * Counts this turn in a weekly statistic (e.g. `questions_answered`), written with the turn:
   * a redelivered message counts once.
   */
  count(name: string): void {
    this.tallies.push(name);
  }

  t(key: string, vars?: Record<string, string | number>): string {
    return this.deps.texts.t(this.lang, key, vars);
  }

  say(key: string, vars?: Record<string, string | number>, extra: Omit<Reply, 'text'> = {}): void {
    this.replies.push({ text: this.t(key, vars), ...extra });
  }

  choice(labelKey: string, value: string): Choice {
    return { label: this.t(labelKey), value };
  }

  /** The main menu as a reply. */
  menu(): void {
    this.say(
      'menu.text',
      {},
      {
        choices: [
          this.choice('menu.report', 'menu:report'),
          this.choice('menu.question', 'menu:question'),
          this.choice('menu.status', 'menu:status'),
          this.choice('menu.agent', 'menu:agent'),
        ],
      },
    );
  }

  /** The reporter on this channel, for new cases and look-ups. */
  get reporter() {
    return {
      channel: this.msg.channel,
      channelUserId: this.msg.channelUserId,
      conversationId: this.msg.conversationId,
      ...(this.msg.userName ? { name: this.msg.userName } : {}),
      ...(this.msg.conversationRef ? { ref: { ...this.msg.conversationRef } } : {}),
    };
  }

  /** A date as the citizen reads it, in the service's time zone (e.g. "Rabu, 2 Desember 2026"). */
  date(iso: string): string {
    return new Intl.DateTimeFormat(this.lang === 'id' ? 'id-ID' : 'en-GB', {
      timeZone: this.deps.planner.calendar.timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(new Date(iso));
  }

  agencyName(agencyId: string): string {
    return findAgency(this.deps.directory, agencyId)?.name[this.lang] ?? agencyId;
  }
}

/** Middleware: do something with the turn, then (maybe) let the next one run. */
export type Middleware = (ctx: TurnContext, next: () => Promise<void>) => Promise<void>;

/** Runs middleware in order; each decides whether to call `next`. */
export function compose(middleware: Middleware[]): (ctx: TurnContext) => Promise<void> {
  return (ctx) => {
    const run = (i: number): Promise<void> => {
      const mw = middleware[i];
      return mw ? mw(ctx, () => run(i + 1)) : Promise.resolve();
    };
    return run(0);
  };
}
