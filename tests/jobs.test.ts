import { startPeriodic } from '../src/jobs';
import { silentLogger } from '../src/logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPeriodic', () => {
  test('runs repeatedly, never overlapping, survives errors, and stop() waits for the run in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: object[] = [];
    const job = startPeriodic(
      'test',
      5,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await sleep(15);
        active--;
        if (runs === 1) throw new Error('first run fails');
      },
      { ...silentLogger, error: (obj) => errors.push(obj) },
    );
    for (let i = 0; i < 200 && runs < 3; i++) await sleep(5);
    await job.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
    expect(errors).toEqual([expect.objectContaining({ job: 'test' })]);
    await sleep(30);
    expect(runs).toBe(after);
  });
});
