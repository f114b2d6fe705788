import type { ChannelFactory } from '../src/channel';
import { botframeworkChannel } from './botframework';
import { open311Channel } from './open311';
import { slackChannel } from './slack';
import { telegramChannel } from './telegram';
import { webchatChannel } from './webchat';

/**
 * Every channel adapter and interface `suara serve` runs; each channel leaves itself off unless
 * configured (Open311 is always on: it needs a client's API key to file anything).
 */
export const CHANNELS: ChannelFactory[] = [
  telegramChannel,
  webchatChannel,
  slackChannel(),
  botframeworkChannel,
  open311Channel,
];
