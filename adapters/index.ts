import type { ChannelFactory } from '../src/channel';
import { botframeworkChannel } from './botframework';
import { slackChannel } from './slack';
import { telegramChannel } from './telegram';
import { webchatChannel } from './webchat';

/** Every channel adapter `suara serve` runs; each one leaves itself off unless configured. */
export const CHANNELS: ChannelFactory[] = [
  telegramChannel,
  webchatChannel,
  slackChannel(),
  botframeworkChannel,
];
