import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTexts } from '../src/core/i18n';

const root = join(__dirname, '..');
const texts = loadTexts(join(root, 'intents', 'i18n'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

describe('reply texts', () => {
  test('every literal text key used by the core exists in both languages', () => {
    const used = new Set<string>();
    for (const src of [...sources(join(root, 'src', 'core'))]) {
      // The first literal argument of t(), say() and choice(), except a language code.
      for (const m of src.matchAll(
        /\b(?:t|say|choice)\(\s*'(?!(?:id|en)')([a-z_]+(?:\.[a-z_]+)*)'/g,
      )) {
        used.add(m[1] as string);
      }
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((k) => !texts.has(k));
    expect(missing).toEqual([]);
  });

  test('placeholders are filled; unknown keys are a programming error', () => {
    expect(texts.t('id', 'status.not_found', { id: 'ADU-7K3M9Q' })).toContain('ADU-7K3M9Q');
    expect(texts.t('en', 'status.not_found', { id: 'ADU-7K3M9Q' })).toContain('ADU-7K3M9Q');
    expect(() => texts.t('id', 'no.such.key')).toThrow('no reply text "no.such.key"');
  });

  test('a key missing in one language, or with other placeholders, is refused at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suara-i18n-'));
    try {
      writeFileSync(join(dir, 'id.yaml'), 'a: "Halo {name}"\nb: x\n');
      writeFileSync(join(dir, 'en.yaml'), 'a: "Hello {nama}"\n');
      expect(() => loadTexts(dir)).toThrow(/a: placeholders differ[\s\S]*b: missing in en\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
