import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDir } from '../src/fs';

describe('ensureDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'suara-fs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('creates missing parents and accepts an existing directory', () => {
    const dir = join(root, 'a', 'b', 'c');
    ensureDir(dir);
    ensureDir(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  test('fails at once, with the system error, where a directory cannot be made', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => ensureDir(join(file, 'sub'))).toThrow(/ENOTDIR|EEXIST/);
    expect(() => ensureDir('/proc/suara-nope/db')).toThrow(/ENOENT|EACCES|EPERM/);
    expect(existsSync('/proc/suara-nope')).toBe(false);
  });
});
