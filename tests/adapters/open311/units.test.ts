import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkAnswers } from '../../../adapters/open311/attributes';
import { formatW3c, parseW3c } from '../../../adapters/open311/datetime';
import { localeLanguage } from '../../../adapters/open311/texts';
import { escapeXml, xmlDocument } from '../../../adapters/open311/xml';

describe('the XML writer', () => {
  test('escapes markup and drops what XML 1.0 cannot hold, so any text stays well-formed', () => {
    const nasty = 'a < b & "c" \'d\' ]]> \u0000\u0007\u001b\ufffe \ud800 tab\tline\nend 😀';
    expect(escapeXml(nasty)).toBe(
      'a &lt; b &amp; &quot;c&quot; &apos;d&apos; ]]&gt;   tab\tline\nend 😀',
    );
    const xml = xmlDocument('service_requests', [{ description: nasty, lat: -6.2, x: null }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml);
    expect(parsed.service_requests.request.description).toBe(
      'a < b & "c" \'d\' ]]>   tab\tline\nend 😀',
    );
    expect(xml).toContain('<lat>-6.2</lat><x/>');
  });

  test('lists need a known item name; element names are checked', () => {
    expect(xmlDocument('errors', [{ code: 400, description: 'x' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>x</description></error></errors>\n',
    );
    expect(() => xmlDocument('things', [1])).toThrow('no item name');
    expect(() => xmlDocument('a b', 'x')).toThrow('not an element name');
  });
});

describe('W3C datetimes', () => {
  test('written in the service time zone with its offset', () => {
    expect(formatW3c('2026-11-27T02:00:00.000Z', 'Asia/Jakarta')).toBe('2026-11-27T09:00:00+07:00');
    expect(formatW3c('2026-11-27T02:00:00.000Z', 'UTC')).toBe('2026-11-27T02:00:00Z');
    expect(formatW3c('2026-01-15T12:00:00.000Z', 'America/St_Johns')).toBe(
      '2026-01-15T08:30:00-03:30',
    );
  });

  test('read with any offset, or as a bare local date; anything else is null', () => {
    const iso = (text: string, edge: 'start' | 'end' = 'start') =>
      parseW3c(text, 'Asia/Jakarta', edge)?.toISOString() ?? null;
    expect(iso('2010-01-01T00:00:00Z')).toBe('2010-01-01T00:00:00.000Z');
    expect(iso('2026-11-27T09:00+07:00')).toBe('2026-11-27T02:00:00.000Z');
    expect(iso('2026-11-27T09:00:00.5-05:00')).toBe('2026-11-27T14:00:00.500Z');
    expect(iso('2026-11-27')).toBe('2026-11-26T17:00:00.000Z');
    expect(iso('2026-11-27', 'end')).toBe('2026-11-27T16:59:59.999Z');
    for (const bad of ['2026-11-27T09:00:00', '2026-02-30', '2026-13-01T00:00Z', 'yesterday', '']) {
      expect(iso(bad)).toBeNull();
    }
  });
});

test('locale → language', () => {
  expect(['en', 'en-US', 'EN_gb', 'id', 'id-ID', 'in'].map(localeLanguage)).toEqual([
    'en',
    'en',
    'en',
    'id',
    'id',
    'id',
  ]);
  expect(localeLanguage('fr-FR')).toBeUndefined();
  expect(localeLanguage(undefined)).toBeUndefined();
});

test('attribute answers: required, list keys, one value for a single-value list, numbers', () => {
  const answers = (entries: [string, string[]][]) =>
    checkAnswers('street_lighting', new Map(entries));
  expect(
    answers([
      ['light_problem', ['off']],
      ['lamp_count', ['3']],
      ['unknown', ['x']],
    ]),
  ).toMatchObject({ ok: true, answers: [{ values: ['off'] }, { values: ['3'] }] });
  expect(answers([['light_problem', ['off', 'missing']]])).toEqual({
    ok: false,
    errors: ['attribute[light_problem] takes one value'],
  });
  expect(
    answers([
      ['light_problem', ['off']],
      ['lamp_count', ['2.5']],
    ]),
  ).toEqual({
    ok: false,
    errors: ['attribute[lamp_count] must be a whole number from 1 to 100'],
  });
  // Information-only attributes take no answer; a service without attributes takes none.
  expect(
    checkAnswers(
      'disaster_fire',
      new Map([
        ['hazards', ['fire']],
        ['emergency', ['?']],
      ]),
    ),
  ).toMatchObject({
    ok: true,
    answers: [{ def: { code: 'hazards' } }],
  });
  expect(checkAnswers('health', new Map([['x', ['y']]]))).toEqual({ ok: true, answers: [] });
});
