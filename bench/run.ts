// `npm run bench`: builds, then prints the numbers. Not part of `npm test`.
import { benchNlu, benchNluSpeed } from './nlu';
import { benchStartup } from './startup';
import { benchStore } from './store';

async function run(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'startup') await benchStartup();
  if (!only || only === 'store') await benchStore();
  if (!only || only === 'nlu') await benchNlu();
  if (only === 'nlu-speed') await benchNluSpeed();
}

run().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
