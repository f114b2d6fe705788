import type { ChannelFactory } from '../src/channel';
import { botframeworkChannel } from './botframework';
import { dashboardChannel } from './dashboard';
import { open311Channel } from './open311';
import { slackChannel } from './slack';
import { staffApiChannel } from './staff-api';
import { telegramChannel } from './telegram';
import { trackingChannel } from './tracking';
import { webchatChannel } from './webchat';
import { whatsappChannel } from './whatsapp';

/**
 * Every channel adapter and interface `suara serve` runs; each channel leaves itself off unless
 * configured. The interfaces are always on: Open311 and the staff API need an API key for
 * anything but public reads; the tracking page shows no personal data and is rate-limited; the
 * statistics are aggregates only.
 */
export const CHANNELS: ChannelFactory[] = [
  telegramChannel,
  webchatChannel,
  slackChannel(),
  botframeworkChannel,
  whatsappChannel,
  open311Channel,
  staffApiChannel,
  trackingChannel(),
  dashboardChannel,
];
