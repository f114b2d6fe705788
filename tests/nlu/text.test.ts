import { applySlang, parseSlang } from '../../src/nlu/lexicon';
import { normalizeText } from '../../src/nlu/normalize';
import { stem } from '../../src/nlu/stem';
import { tokenize } from '../../src/nlu/tokenize';
import { testSlang } from '../support/nlu';

describe('normalizeText', () => {
  test.each([
    ['Jalan  RUSAK', 'jalan rusak'],
    ['bangettt', 'banget'],
    ['tolonggggg dong', 'tolong dong'],
    ['maaf', 'maaf'], // a real double letter stays
    ['ｋｔｐ　ｈｉｌａｎｇ', 'ktp hilang'], // NFKC: full-width letters and space
    ['ja\u200blan\u200d ru\uFEFFsak', 'jalan rusak'], // zero-width characters
    ['lampu\u0000 mati\u0007', 'lampu mati'], // control characters
    ['  baris\n\tbaru  ', 'baris baru'],
    ['ja\u200flan \u202erusak', 'jalan rusak'], // bidirectional marks
    ['buka www.lapor.go.id', 'buka www.lapor.go.id'], // a web address keeps its www
  ])('%j → %j', (raw, expected) => {
    expect(normalizeText(raw)).toBe(expected);
  });

  test('a huge run of one letter is cheap and does not crash', () => {
    expect(normalizeText('a'.repeat(4_000_000))).toBe('a');
  });

  test('bounds the length', () => {
    expect(normalizeText('a b '.repeat(5000))).toHaveLength(4000);
    expect(normalizeText('abcdef', 3)).toBe('abc');
  });
});

describe('tokenize', () => {
  test('words, with placeholders for ids, links, e-mail addresses, phones and long numbers', () => {
    expect(
      tokenize(
        'cek adu-7k3m9q dong, wa 0812-3456-7890 atau a.b@mail.id, lihat https://x.id/a?b=1 nik 3201234567890001',
      ),
    ).toEqual([
      'cek',
      'xtrackingid',
      'dong',
      'wa',
      'xphone',
      'atau',
      'xemail',
      'lihat',
      'xurl',
      'nik',
      'xnum',
    ]);
  });

  test('"adu" followed by an ordinary word is not a tracking id', () => {
    expect(tokenize('jangan adu gengsi')).toEqual(['jangan', 'adu', 'gengsi']);
    expect(tokenize('status adu 7k3m9q')).toEqual(['status', 'xtrackingid']);
  });
});

describe('slang lexicon', () => {
  test('parses replacements and address words, and reports bad lines', () => {
    const lex = parseSlang('# comment\ngak\ttidak\ndimana\tdi mana\nmin\t-\n');
    expect(applySlang(['halo', 'min', 'gak', 'tau', 'dimana'], lex)).toEqual([
      'halo',
      'tidak',
      'tau',
      'di',
      'mana',
    ]);
    expect(() => parseSlang('ok\ngak\ttidak\textra\n', 'x.tsv')).toThrow(
      'x.tsv:1: expected "informal<TAB>standard"\nx.tsv:2',
    );
  });

  test('the shipped table normalises the common informal forms', () => {
    const lex = testSlang();
    const cases: [string, string][] = [
      ['gak', 'tidak'],
      ['ga', 'tidak'],
      ['nggak', 'tidak'],
      ['ngga', 'tidak'],
      ['udh', 'sudah'],
      ['blm', 'belum'],
      ['yg', 'yang'],
      ['dgn', 'dengan'],
      ['bgt', 'banget'],
      ['tp', 'tapi'],
    ];
    for (const [informal, standard] of cases)
      expect(applySlang([informal], lex)).toEqual([standard]);
    expect(applySlang(['min', 'mimin'], lex)).toEqual([]);
  });
});

describe('stem', () => {
  test.each([
    ['perbaikan', 'id', 'baik'],
    ['kebakaran', 'id', 'bakar'],
    ['jalanan', 'id', 'jalan'],
    ['pelayanan', 'id', 'layan'],
    ['complaints', 'en', 'complaint'],
    ['flooding', 'en', 'flood'],
    ['xtrackingid', 'id', 'xtrackingid'],
    ['rt05', 'id', 'rt05'],
  ] as const)('%s (%s) → %s', (word, lang, expected) => {
    expect(stem(word, lang)).toBe(expected);
  });
});
