import { InProcessPubSub } from '../../src/store/pubsub';
import { InProcessRateLimits } from '../../src/store/rate-limit';
import { runPubSubContract } from './contracts/pubsub';
import { runRateLimitContract } from './contracts/rate-limit';

runPubSubContract('in-process', async () => new InProcessPubSub());
runRateLimitContract('in-process', async (time) => new InProcessRateLimits(() => time.now));
