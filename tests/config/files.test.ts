import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/env';
import { ConfigFileError, loadDomainFiles } from '../../src/config/files';
import { CATEGORIES } from '../../src/taxonomy';

const root = join(__dirname, '..', '..');

function configWith(env: Record<string, string>) {
  const r = loadConfig({
    SUARA_AGENCIES: join(root, 'intents/agencies.yaml'),
    SUARA_DEADLINES: join(root, 'intents/deadlines.yaml'),
    SUARA_HOLIDAYS: join(root, 'intents/holidays.yaml'),
    ...env,
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

function problems(env: Record<string, string>): string[] {
  try {
    loadDomainFiles(configWith(env));
  } catch (err) {
    if (err instanceof ConfigFileError) return err.lines;
    throw err;
  }
  return [];
}

describe('loadDomainFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'suara-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('the shipped files load: every category is routed or triaged, Jakarta calendar with holidays', () => {
    const { directory, planner } = loadDomainFiles(configWith({}));
    expect(planner.calendar.timeZone).toBe('Asia/Jakarta');
    expect(planner.calendar.holidays.has('2026-08-17')).toBe(true);
    expect(planner.calendar.holidays.has('2027-08-17')).toBe(true);
    const routed = CATEGORIES.filter((c) => c !== 'other').filter(
      (c) => !directory.byCategory.has(c),
    );
    expect(routed).toEqual([]);
  });

  test('a missing file names its variable and path', () => {
    expect(problems({ SUARA_AGENCIES: join(dir, 'nope.yaml') })).toEqual([
      `SUARA_AGENCIES=${JSON.stringify(join(dir, 'nope.yaml'))}: file not found`,
    ]);
  });

  test('invalid YAML is reported, not thrown raw', () => {
    const path = file('broken.yaml', 'triage: [unclosed\n');
    const lines = problems({ SUARA_AGENCIES: path });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^SUARA_AGENCIES=".*broken.yaml": invalid YAML/);
  });

  test('problems in several files are all reported at once', () => {
    const agencies = file(
      'agencies.yaml',
      'triage: { id: triage, name: { id: T, en: T } }\nagencies:\n  - { id: a, name: { id: A, en: A }, categories: [roads] }\n',
    );
    const deadlines = file(
      'deadlines.yaml',
      'defaults: { verify: -1, follow_up: 5, auto_close: 10 }\n',
    );
    const holidays = file(
      'holidays.yaml',
      'holidays:\n  - { date: 2026-13-01, name: { id: x, en: x }, type: national }\n',
    );
    const lines = problems({
      SUARA_AGENCIES: agencies,
      SUARA_DEADLINES: deadlines,
      SUARA_HOLIDAYS: holidays,
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^SUARA_AGENCIES=.*agencies\.0\.categories\.0: not a category of the taxonomy/,
      ),
      expect.stringMatching(/^SUARA_DEADLINES=.*defaults\.verify: /),
      expect.stringMatching(/^SUARA_HOLIDAYS=.*holidays\.0\.date: a quoted date "YYYY-MM-DD"/),
    ]);
  });
});
