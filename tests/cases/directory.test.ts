import {
  type AgencyDirectory,
  deskAddress,
  findAgency,
  parseDirectory,
  route,
} from '../../src/cases/directory';
import { legacyDesks } from '../../src/config/files';
import { CATEGORIES } from '../../src/taxonomy';
import { loadIntentsYaml } from './helpers';

function shipped(): AgencyDirectory {
  const r = parseDirectory(loadIntentsYaml('agencies.yaml'));
  if (!r.ok) throw new Error(`agencies.yaml does not parse:\n${r.errors.join('\n')}`);
  return r.value;
}

const triage = { id: 'triage', name: { id: 'Tim Verifikasi', en: 'Verification desk' } };
const agency = (id: string, categories: string[]) => ({
  id,
  name: { id: `Dinas ${id}`, en: `${id} department` },
  categories,
  desks: { slack: 'C0TEST' },
});

/** The error lines for a directory that must be refused. */
function errorsOf(raw: unknown): string[] {
  const r = parseDirectory(raw);
  if (r.ok) throw new Error('accepted a bad directory');
  return r.errors;
}

describe('the shipped intents/agencies.yaml', () => {
  const dir = shipped();

  test('every taxonomy category except `other` has an agency', () => {
    const missing = CATEGORIES.filter((c) => c !== 'other' && !dir.byCategory.has(c));
    expect(missing).toEqual([]);
    expect(dir.byCategory.has('other')).toBe(false);
  });

  test('each category is claimed by the agency that lists it', () => {
    for (const a of dir.agencies) {
      for (const c of a.categories) expect(dir.byCategory.get(c)).toBe(a.id);
    }
  });

  test('every agency and the triage desk has id/en names and a desk on the staff channel', () => {
    for (const a of [dir.triage, ...dir.agencies]) {
      expect(a.name.id.trim()).not.toBe('');
      expect(a.name.en.trim()).not.toBe('');
      expect(a.desks).toEqual([{ channel: 'slack', address: expect.stringMatching(/^C0[A-Z]+$/) }]);
    }
  });

  test('deskAddress: the agency desk on a channel, else the triage desk, else none', () => {
    const raw = {
      triage: { ...triage, desks: { slack: 'C0TRIAGE' } },
      agencies: [
        agency('pdam', ['water_utility']),
        { ...agency('pln', ['electricity']), desks: {} },
      ],
    };
    const parsed = parseDirectory(raw);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(deskAddress(parsed.value, 'pdam', 'slack')).toBe('C0TEST');
    expect(deskAddress(parsed.value, 'pln', 'slack')).toBe('C0TRIAGE');
    expect(deskAddress(parsed.value, 'pdam', 'teams')).toBeNull();
  });

  test('a directory file of the earlier format (slack_channel) reads as a Slack desk', () => {
    const parsed = parseDirectory(
      legacyDesks({
        triage: { ...triage, slack_channel: 'C0TRIAGE' },
        agencies: [
          { ...agency('pdam', ['water_utility']), desks: undefined, slack_channel: 'C0PDAM' },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.value.triage.desks).toEqual([{ channel: 'slack', address: 'C0TRIAGE' }]);
    expect(parsed.value.agencies[0]?.desks).toEqual([{ channel: 'slack', address: 'C0PDAM' }]);
  });

  test('agency ids are unique and the triage desk is "triage"', () => {
    const ids = [dir.triage.id, ...dir.agencies.map((a) => a.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(dir.triage.id).toBe('triage');
  });

  test('findAgency finds agencies and the triage desk', () => {
    expect(findAgency(dir, 'dinas-pupr')?.categories).toEqual(['roads_drainage']);
    expect(findAgency(dir, 'triage')?.id).toBe('triage');
    expect(findAgency(dir, 'no-such-agency')).toBeUndefined();
  });

  test.each([
    ['roads_drainage', 'dinas-pupr'],
    ['street_lighting', 'dinas-perhubungan'],
    ['water_utility', 'pdam'],
    ['civil_registry', 'disdukcapil'],
    ['civil_servant_conduct', 'inspektorat'],
  ] as const)('route(%s) → %s', (category, agencyId) => {
    expect(route(dir, category)).toEqual({ agencyId, reason: 'category' });
  });

  test('`other` goes to triage', () => {
    expect(route(dir, 'other').agencyId).toBe('triage');
    expect(route(dir, 'other', { confidence: 0.99, minConfidence: 0.5 }).agencyId).toBe('triage');
  });
});

describe('route', () => {
  const r = parseDirectory({ triage, agencies: [agency('dinas-pupr', ['roads_drainage'])] });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const dir = r.value;

  test('a claimed category goes to its agency', () => {
    expect(route(dir, 'roads_drainage')).toEqual({ agencyId: 'dinas-pupr', reason: 'category' });
  });

  test('a category no agency claims goes to triage (unrouted_category)', () => {
    expect(route(dir, 'health')).toEqual({ agencyId: 'triage', reason: 'unrouted_category' });
  });

  test('low confidence goes to triage (low_confidence), even for a claimed category', () => {
    expect(route(dir, 'roads_drainage', { confidence: 0.3, minConfidence: 0.5 })).toEqual({
      agencyId: 'triage',
      reason: 'low_confidence',
    });
  });

  test('confidence at or above the threshold routes by category', () => {
    const expected = { agencyId: 'dinas-pupr', reason: 'category' };
    expect(route(dir, 'roads_drainage', { confidence: 0.5, minConfidence: 0.5 })).toEqual(expected);
    expect(route(dir, 'roads_drainage', { confidence: 0.9, minConfidence: 0.5 })).toEqual(expected);
    expect(route(dir, 'roads_drainage', { confidence: 0.01 })).toEqual(expected); // default threshold 0
  });
});

describe('parseDirectory errors', () => {
  test('a minimal directory parses', () => {
    const r = parseDirectory({ triage, agencies: [agency('pdam', ['water_utility'])] });
    expect(r.ok).toBe(true);
  });

  test('duplicate agency id', () => {
    const errors = errorsOf({
      triage,
      agencies: [agency('pdam', ['water_utility']), agency('pdam', ['health'])],
    });
    expect(errors).toEqual([expect.stringMatching(/^agencies\.1\.id: .*duplicate.*pdam/)]);
  });

  test('an agency reusing the triage id', () => {
    const errors = errorsOf({ triage, agencies: [agency('triage', ['health'])] });
    expect(errors).toEqual([expect.stringMatching(/^agencies\.0\.id: .*duplicate.*triage/)]);
  });

  test('a category claimed twice names the category and the first owner', () => {
    const errors = errorsOf({
      triage,
      agencies: [
        agency('pdam', ['water_utility']),
        agency('pln', ['electricity', 'water_utility']),
      ],
    });
    expect(errors).toEqual([
      expect.stringMatching(/^agencies\.1\.categories: .*water_utility.*pdam/),
    ]);
  });

  test('an unknown category', () => {
    const errors = errorsOf({ triage, agencies: [agency('pdam', ['water_utility', 'potholes'])] });
    expect(errors).toEqual([expect.stringMatching(/^agencies\.0\.categories\.1: .*taxonomy/)]);
  });

  test('`other` cannot be claimed', () => {
    const errors = errorsOf({ triage, agencies: [agency('pdam', ['other'])] });
    expect(errors).toEqual([expect.stringMatching(/^agencies\.0\.categories: .*other/)]);
  });

  test('missing triage', () => {
    const errors = errorsOf({ agencies: [agency('pdam', ['water_utility'])] });
    expect(errors.some((l) => l.startsWith('triage'))).toBe(true);
  });

  test.each([
    [
      'a bad agency id',
      { triage, agencies: [agency('Dinas PUPR', ['roads_drainage'])] },
      'agencies.0.id',
    ],
    [
      'a bad staff channel name',
      { triage, agencies: [{ ...agency('pdam', ['water_utility']), desks: { 'Slack!': 'C1' } }] },
      'agencies.0.desks',
    ],
    [
      'a missing English name',
      { triage, agencies: [{ ...agency('pdam', ['water_utility']), name: { id: 'PDAM' } }] },
      'agencies.0.name.en',
    ],
    ['no agencies', { triage, agencies: [] }, 'agencies'],
    ['an unknown key', { triage, agencies: [agency('pdam', [])], extra: 1 }, '(root)'],
  ])('%s', (_what, raw, field) => {
    expect(errorsOf(raw).some((l) => l.startsWith(field))).toBe(true);
  });

  test('several problems give several lines', () => {
    const errors = errorsOf({
      triage,
      agencies: [agency('pdam', ['water_utility']), agency('pdam', ['water_utility'])],
    });
    expect(errors).toHaveLength(2);
  });
});
