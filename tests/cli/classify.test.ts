import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { INTENTS_DIR, TEST_NLU_MODEL, testNlu } from '../support/nlu';

beforeAll(() => {
  testNlu(); // trains (or loads) the shared model file the CLI reads
});

async function classify(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env: { SUARA_INTENTS: INTENTS_DIR, SUARA_NLU_MODEL: TEST_NLU_MODEL },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stdin: Readable.from([stdin]),
  };
  const code = await main(['classify', ...args], io);
  return {
    code,
    lines: out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    err: err.join(''),
  };
}

describe('suara classify', () => {
  test('JSON lines in, one JSON line out per input, in order, with the stable keys', async () => {
    const input = [
      JSON.stringify({ id: 1, text: 'lampu jalan di gang 3 mati seminggu' }),
      JSON.stringify({ id: 'b', text: 'halo min' }),
      '',
      JSON.stringify({ id: 3, text: 'rumah tetangga kebakaran, tolong!' }),
    ].join('\n');
    const { code, lines } = await classify([], input);
    expect(code).toBe(0);
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        'id',
        'lang',
        'intent',
        'intent_confidence',
        'category',
        'category_confidence',
        'urgent',
      ]);
      expect(l.intent_confidence).toBeGreaterThan(0);
      expect(l.intent_confidence).toBeLessThanOrEqual(1);
    }
    expect(lines[0]).toMatchObject({
      id: 1,
      lang: 'id',
      intent: 'complaint',
      category: 'street_lighting',
      urgent: false,
    });
    expect(lines[1]).toMatchObject({
      id: 'b',
      intent: 'greeting',
      category: null,
      category_confidence: null,
    });
    expect(lines[2]).toMatchObject({ id: 3, urgent: true });
  });

  test('a malformed line yields an error line and processing continues', async () => {
    const input = [
      '{not json',
      JSON.stringify({ id: 1 }),
      JSON.stringify([1, 2]),
      JSON.stringify({ id: { x: 1 }, text: 'halo' }),
      JSON.stringify({ id: 5, text: 'makasih ya' }),
    ].join('\n');
    const { code, lines } = await classify([], input);
    expect(code).toBe(0);
    expect(lines.slice(0, 4)).toEqual([
      { id: null, error: 'not valid JSON' },
      { id: null, error: '"text" must be a non-empty string' },
      { id: null, error: 'expected a JSON object {"id": …, "text": "…"}' },
      { id: null, error: '"id" must be a string or a number' },
    ]);
    expect(lines[4]).toMatchObject({ id: 5, intent: 'thanks' });
  });

  test('a byte-order mark before the first line is ignored', async () => {
    const { lines } = await classify([], `\uFEFF${JSON.stringify({ id: 1, text: 'halo min' })}\n`);
    expect(lines).toEqual([expect.objectContaining({ id: 1, intent: 'greeting' })]);
  });

  test('an integer id beyond 2^53 comes back digit for digit; other ids as given', async () => {
    const input = [
      '{"text": "id di belakang {\\"id\\": 1}", "meta": {"id": 7}, "id": 12345678901234567891}',
      '{"id": -98765432109876543210, "text": "halo"}',
      '{"id": 1.5, "text": "halo"}',
    ].join('\n');
    const out: string[] = [];
    await main(['classify'], {
      env: { SUARA_INTENTS: INTENTS_DIR, SUARA_NLU_MODEL: TEST_NLU_MODEL },
      stdout: (t) => out.push(t),
      stderr: () => {},
      stdin: Readable.from([input]),
    });
    const lines = out.join('').split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^\{"id":12345678901234567891,"lang":/);
    expect(lines[1]).toMatch(/^\{"id":-98765432109876543210,"lang":/);
    expect(JSON.parse(lines[2] as string)).toMatchObject({ id: 1.5, intent: 'greeting' });
  });

  test('--text classifies one message', async () => {
    const { code, lines } = await classify([
      '--text',
      'the streetlight on my road has been off for a week',
    ]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({
        id: null,
        lang: 'en',
        intent: 'complaint',
        category: 'street_lighting',
      }),
    ]);
  });
});
