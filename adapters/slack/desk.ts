import {
  type Agency,
  type AgencyDirectory,
  deskAddress,
  findAgency,
} from '../../src/cases/directory';
import type { ChannelContext } from '../../src/channel';
import type { Category, Language } from '../../src/taxonomy';
import { formatTime } from './format';
import { STAFF_TEXTS, type StaffTexts } from './texts';

/** The staff channel name of Slack desks in the agency directory (`desks: { slack: C0PUPR }`). */
export const SLACK_DESK = 'slack';

/** A Slack channel id (public `C…`, private `G…`). */
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/**
 * The directory's Slack desks that are not Slack channel ids, one line each (empty when all
 * are): the adapter refuses to start with them.
 */
export function badSlackDesks(directory: AgencyDirectory): string[] {
  return [directory.triage, ...directory.agencies].flatMap((a) =>
    a.desks
      .filter((d) => d.channel === SLACK_DESK && !SLACK_CHANNEL_ID.test(d.address))
      .map(
        (d) =>
          `SUARA_AGENCIES: ${a.id}.desks.slack: ${JSON.stringify(d.address)} is not a Slack channel id such as C0PUPR`,
      ),
  );
}

/**
 * The staff desk as Slack sees it: which channel works which agency's queue, and how things are
 * named and shown to staff (language, time zone). What staff may see of a case is the staff
 * rules' view (src/staff), rendered as it is.
 */
export interface Desk {
  lang: Language;
  t: StaffTexts;
  directory: AgencyDirectory;
  timeZone: string;
  /** The Slack channel of an agency: its own `slack_channel`, else the triage desk's; or null. */
  channelFor(agencyId: string): string | null;
  /** The agencies whose cases a channel works (empty: the channel is bound to none). */
  agenciesIn(channel: string): Agency[];
  agencyName(agencyId: string): string;
  category(category: Category): string;
  time(at: string | Date): string;
}

/** Builds the desk from the service context (`SLACK_LANGUAGE`, the directory, the calendar). */
export function createDesk(ctx: ChannelContext, lang: Language): Desk {
  const { directory } = ctx.domain;
  const timeZone = ctx.domain.planner.calendar.timeZone;
  const t = STAFF_TEXTS[lang];
  const all = [directory.triage, ...directory.agencies];
  const channelFor = (agencyId: string): string | null =>
    deskAddress(directory, agencyId, SLACK_DESK);
  return {
    lang,
    t,
    directory,
    timeZone,
    channelFor,
    agenciesIn: (channel) => all.filter((a) => channelFor(a.id) === channel),
    agencyName: (agencyId) => findAgency(directory, agencyId)?.name[lang] ?? agencyId,
    category: (category) =>
      ctx.texts.has(`categories.${category}`)
        ? ctx.texts.t(lang, `categories.${category}`)
        : category,
    time: (at) => formatTime(at, lang, timeZone),
  };
}
