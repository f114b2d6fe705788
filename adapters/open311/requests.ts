import { daysFor } from '../../src/cases/deadlines';
import { findAgency } from '../../src/cases/directory';
import { lastPublicNote } from '../../src/cases/public-view';
import { agencyDeadline } from '../../src/cases/queries';
import {
  type Case,
  type CaseEvent,
  type CaseStatus,
  type IdentityMode,
  OPEN311_CHANNEL,
} from '../../src/cases/types';
import type { DomainFiles } from '../../src/config/files';
import { maskPii } from '../../src/staff/mask';
import { MASK_LABELS } from '../../src/staff/mask-labels';
import type { Language } from '../../src/taxonomy';
import { formatW3c } from './datetime';
import { serviceName } from './services';
import { serviceNotice } from './texts';

/**
 * Cases as GeoReport v2 service requests: the public face of a case. Only complaints are service
 * requests, and never confidential ones; the reporter's name, phone and e-mail are never part of
 * it, and personal data in the citizen's words (NIK, phone numbers, e-mail addresses) is masked.
 */

/** Open311 `status` values and the case statuses each covers. */
export const OPEN311_STATUSES: Readonly<Record<'open' | 'closed', readonly CaseStatus[]>> = {
  open: ['received', 'verified', 'in_progress', 'needs_info', 'reopened'],
  closed: ['resolved', 'closed', 'rejected'],
};

/** The identity modes whose cases Open311 shows: every one but `confidential`. */
export const LISTED_IDENTITIES: readonly IdentityMode[] = ['named', 'anonymous'];

/** `open` or `closed` for a case status. */
export function open311Status(status: CaseStatus): 'open' | 'closed' {
  return OPEN311_STATUSES.closed.includes(status) ? 'closed' : 'open';
}

/** Whether Open311 may show a case at all (by id or in a list). */
export function isListed(c: Case): boolean {
  return c.kind === 'complaint' && LISTED_IDENTITIES.includes(c.identity);
}

/** One service request, in the specification's order of fields. */
// A type, not an interface: it must fit the XML writer's index signature.
export type RequestJson = {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
};

/** The `service_notice` of a case: who handles it and the deadlines that apply to it. */
export function noticeFor(
  domain: DomainFiles,
  c: Pick<Case, 'agencyId' | 'category' | 'priority'>,
  lang: Language,
): string {
  const days = daysFor(domain.planner.rules, c.category, c.priority);
  return serviceNotice(lang, {
    agency: findAgency(domain.directory, c.agencyId)?.name[lang] ?? c.agencyId,
    verifyDays: days.verify,
    followUpDays: days.followUp,
    urgent: c.priority === 'urgent',
  });
}

/** The media URL a request was filed with (only Open311 requests have one: other refs are private). */
function mediaUrl(c: Case): string | null {
  if (c.reporter.channel !== OPEN311_CHANNEL) return null;
  return c.attachments.find((a) => /^https?:\/\//i.test(a.ref))?.ref ?? null;
}

/**
 * A case as a service request in `lang` (service name, agency, notice and mask labels). Its
 * history gives `status_notes`: the latest note staff wrote for the public. The citizen's text,
 * the address and the note are shown with personal data masked, whatever the identity mode:
 * this is a public, unauthenticated interface.
 *
 * @example
 * requestJson(domain, c, await backend.cases.events(c.trackingId), 'en').status // 'open'
 */
export function requestJson(
  domain: DomainFiles,
  c: Case,
  events: readonly CaseEvent[],
  lang: Language,
): RequestJson {
  const zone = domain.planner.calendar.timeZone;
  const mask = (text: string) => maskPii(text, MASK_LABELS[lang]);
  const expected = agencyDeadline(c);
  const { lat, lon, text: address } = c.location ?? {};
  return {
    service_request_id: c.trackingId,
    status: open311Status(c.status),
    status_notes: maybe(lastPublicNote(c, events), mask),
    service_name: serviceName(c.category, lang),
    service_code: c.category,
    description: mask(c.text),
    agency_responsible: findAgency(domain.directory, c.agencyId)?.name[lang] ?? null,
    service_notice: noticeFor(domain, c, lang),
    requested_datetime: formatW3c(c.createdAt, zone),
    updated_datetime: formatW3c(c.updatedAt, zone),
    expected_datetime: expected ? formatW3c(expected, zone) : null,
    address: maybe(address, mask),
    address_id: null,
    zipcode: null,
    lat: lat ?? null,
    long: lon ?? null,
    media_url: mediaUrl(c),
  };
}

function maybe(text: string | undefined, mask: (text: string) => string): string | null {
  return text ? mask(text) : null;
}
