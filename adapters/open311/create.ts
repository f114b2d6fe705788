import type { ApiKeyRecord } from '../../src/apikeys/store';
import type { NewCaseInput } from '../../src/cases/new-case';
import { type CaseLocation, OPEN311_CHANNEL, type Reporter } from '../../src/cases/types';
import type { Nlu } from '../../src/nlu/nlu';
import { maskPii } from '../../src/staff/mask';
import { MASK_LABELS } from '../../src/staff/mask-labels';
import type { Category, Language } from '../../src/taxonomy';
import { answerLine, checkAnswers } from './attributes';
import { type Fields, field } from './body';
import { badRequest, notFound } from './errors';
import { knownServiceCode } from './services';
import { createdNote, localeLanguage } from './texts';

/** Longest `description`, in characters, as the specification limits it. */
export const MAX_DESCRIPTION = 4000;

const NUMBER = /^[+-]?\d{1,3}(\.\d+)?$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{6,32}$/;

/** Text without control characters (line breaks and tabs kept, CR LF as LF). */
function clean(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (ch) => (ch === '\n' || ch === '\t' ? ch : ''))
    .trim();
}

const length = (text: string) => [...text].length;

/** The `attribute[code]` answers of a request, by code. */
function attributeFields(fields: Fields): Map<string, string[]> {
  const answers = new Map<string, string[]>();
  for (const [name, values] of fields) {
    const code = /^attribute\[([^\]]{1,64})\]$/.exec(name)?.[1];
    if (code) answers.set(code, [...(answers.get(code) ?? []), ...values]);
  }
  return answers;
}

/** The location of a request: lat and long, and/or an address; problems go to `errors`. */
function location(fields: Fields, errors: string[]): CaseLocation | undefined {
  const lat = field(fields, 'lat');
  const long = field(fields, 'long');
  const address = field(fields, 'address_string');
  const where: CaseLocation = {};
  if (lat !== undefined || long !== undefined) {
    const y = lat !== undefined && NUMBER.test(lat) ? Number(lat) : Number.NaN;
    const x = long !== undefined && NUMBER.test(long) ? Number(long) : Number.NaN;
    if (lat === undefined || long === undefined) errors.push('lat and long must be sent together');
    else if (!(Math.abs(y) <= 90)) errors.push('lat must be a WGS84 latitude from -90 to 90');
    else if (!(Math.abs(x) <= 180)) errors.push('long must be a WGS84 longitude from -180 to 180');
    else Object.assign(where, { lat: y, lon: x });
  }
  if (address !== undefined) {
    const text = clean(address).replace(/\s+/g, ' ');
    if (length(text) > 500) errors.push('address_string must be at most 500 characters');
    else where.text = text;
  }
  if (lat === undefined && long === undefined && address === undefined) {
    errors.push(
      field(fields, 'address_id') !== undefined
        ? 'address_id is not used by this jurisdiction: send lat and long, or address_string'
        : 'a location is required: lat and long, or address_string',
    );
  }
  return Object.keys(where).length > 0 ? where : undefined;
}

function mediaUrl(fields: Fields, errors: string[]): string | undefined {
  const given = field(fields, 'media_url');
  if (given === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(given);
  } catch {
    url = undefined;
  }
  const ok =
    url &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    given.length <= 2000;
  if (!ok) errors.push('media_url must be an http or https URL (at most 2000 characters)');
  return ok ? url?.href : undefined;
}

/** Who reported, as far as the client said: name, phone and e-mail, each checked. */
function reporter(fields: Fields, keyId: string, errors: string[]): Reporter {
  const name = [field(fields, 'first_name'), field(fields, 'last_name')]
    .filter((part): part is string => part !== undefined)
    .map((part) => clean(part).replace(/\s+/g, ' '))
    .join(' ');
  if (length(name) > 200) errors.push('first_name and last_name must be at most 200 characters');
  const email = field(fields, 'email');
  if (email !== undefined && (email.length > 254 || !EMAIL.test(email)))
    errors.push('email must be an e-mail address');
  const phone = field(fields, 'phone');
  if (phone !== undefined && !PHONE.test(phone)) errors.push('phone must be a phone number');
  const accountId = field(fields, 'account_id');
  if (accountId !== undefined && accountId.length > 200)
    errors.push('account_id must be at most 200 characters');
  return {
    channel: OPEN311_CHANNEL,
    channelUserId: keyId,
    ...(name ? { name } : {}),
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(accountId ? { ref: { account_id: accountId } } : {}),
  };
}

/**
 * Reads a `POST requests` body into a new case filed by the client app of `key`. Checks the
 * service code (404 when unknown), the description (required, at most {@link MAX_DESCRIPTION}
 * characters), the location (`lat` and `long`, or `address_string`), `media_url`, the contact
 * fields and the `attribute[code]` answers; throws {@link Open311Error} 400 listing every problem.
 * The language is the `locale`'s, else the one detected in the description; an emergency
 * (fire, flood…) is urgent. Named when the client gave a name, phone or e-mail, else anonymous.
 *
 * @example
 * const { input } = newCaseFromFields(fields, key, nlu);
 * await cases.open(input, { type: 'system', id: `open311:${key.id}`, name: key.name });
 */
export function newCaseFromFields(
  fields: Fields,
  key: Pick<ApiKeyRecord, 'id' | 'name'>,
  nlu: Pick<Nlu, 'classify'>,
  locale?: string,
): { input: NewCaseInput; accountId: string | null } {
  const errors: string[] = [];
  const code = field(fields, 'service_code');
  let category: Category | undefined;
  if (code === undefined) errors.push('service_code is required');
  else {
    category = knownServiceCode(code);
    if (!category) throw notFound(`service_code ${code.slice(0, 64)} not found`);
  }
  const description = clean(field(fields, 'description') ?? '');
  if (!description) errors.push('description is required');
  else if (length(description) > MAX_DESCRIPTION)
    errors.push(`description must be at most ${MAX_DESCRIPTION} characters`);
  const where = location(fields, errors);
  const media = mediaUrl(fields, errors);
  const who = reporter(fields, key.id, errors);
  const checked = category ? checkAnswers(category, attributeFields(fields)) : null;
  if (checked && !checked.ok) errors.push(...checked.errors);
  if (errors.length > 0 || !category || !checked?.ok) throw badRequest(...errors);

  const chosen = localeLanguage(field(fields, 'locale') ?? locale);
  const understood = nlu.classify(description, chosen);
  const lang: Language = chosen ?? understood.lang;
  const identity = who.name || who.phone || who.email ? 'named' : 'anonymous';
  const mask = (text: string) => (identity === 'named' ? text : maskPii(text, MASK_LABELS[lang]));
  const input: NewCaseInput = {
    kind: 'complaint',
    text: description,
    language: lang,
    category,
    priority: understood.urgent ? 'urgent' : 'normal',
    ...(where ? { location: where } : {}),
    ...(media ? { attachments: [{ kind: 'photo', ref: media }] } : {}),
    reporter: who,
    identity,
    note: createdNote(lang, {
      client: key.name,
      keyId: key.id,
      answers: checked.answers.map((a) => answerLine(a, lang, mask)),
      ...(media ? { mediaUrl: media } : {}),
    }),
  };
  return { input, accountId: who.ref?.account_id ?? null };
}
