import { isStorageError, WriteHealth, watchWrites } from '../../src/store/write-health';
import { manualClock } from '../support/fixtures';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('write health', () => {
  test('storage errors are disk full, read-only and I/O errors; others are not', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'ENOSPC', 'EROFS'])
      expect(isStorageError(coded(code))).toBe(true);
    for (const err of [coded('SQLITE_CONSTRAINT'), coded('SQLITE_BUSY'), new Error('x'), null])
      expect(isStorageError(err)).toBe(false);
  });

  test('a failed call marks it failing; a write clears it only after the hold', async () => {
    const clock = manualClock();
    const health = new WriteHealth(clock, 10_000);
    let full = true;
    const port = watchWrites(
      {
        async commit() {
          if (full) throw coded('SQLITE_FULL');
        },
        async get() {
          return null;
        },
      },
      health,
      ['commit'],
    );
    await expect(port.commit()).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(health.failure()).toMatchObject({ code: 'SQLITE_FULL' });
    full = false;
    await port.commit();
    expect(health.failure()).not.toBeNull();
    clock.advance(10_000);
    // A read shows nothing about writing.
    await port.get();
    expect(health.failure()).not.toBeNull();
    await port.commit();
    expect(health.failure()).toBeNull();
  });
});
