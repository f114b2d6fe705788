// `npm run bench`: builds, then prints the numbers. Not part of `npm test`.
import { benchInstances } from './instances';
import { benchNlu, benchNluSpeed } from './nlu';
import { benchScale } from './scale';
import { benchStartup } from './startup';
import { benchStore } from './store';
import { benchWebhook } from './webhook';

async function run(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'startup') await benchStartup();
  if (!only || only === 'store') await benchStore();
  if (!only || only === 'nlu') await benchNlu();
  if (only === 'nlu-speed') await benchNluSpeed();
  if (only === 'scale') await benchScale();
  // The scale bench includes conversations/s over 1, 2 and 3 instances; `instances` runs only that.
  if (only === 'scale' || only === 'instances') await benchInstances();
  if (!only || only === 'webhook') await benchWebhook(7, process.argv.slice(3));
}

run().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
