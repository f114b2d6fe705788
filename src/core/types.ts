import type { Attachment } from '../cases/types';
import type { Language } from '../taxonomy';

/**
 * One message from a citizen, the same shape for every channel. Adapters translate their
 * channel's event into this and nothing else; the core never asks which channel it is on.
 */
export interface InboundMessage {
  /** Channel name (`telegram`, `webchat`, `cli`…): only used to address replies and notifications. */
  channel: string;
  channelUserId: string;
  conversationId: string;
  /** Unique per channel: the same message delivered twice has one effect. */
  messageId: string;
  text?: string;
  location?: { lat: number; lon: number };
  attachments?: Attachment[];
  /** The value of a choice the citizen picked (a button), if any. */
  action?: string;
  /** The channel's idea of the user's language, e.g. Telegram's language_code. */
  locale?: string;
  receivedAt: Date;
  /** Display name from the channel, if it gives one. */
  userName?: string;
  /**
   * What the channel needs besides `conversationId` to write to this conversation later (a
   * conversation reference such as a service URL and tenant). Kept on the cases the message
   * opens (`Reporter.ref`) and carried to the notifications about them; opaque to the core.
   */
  conversationRef?: Record<string, string>;
  /**
   * Work the adapter keeps for this message in the conversation ledger (`recordWork`), to finish
   * when the message is done: in the turn's own commit, so a handled message costs one write.
   */
  heldWork?: { channel: string; messageId: string };
}

/** A button the citizen can press; `value` comes back as `InboundMessage.action`. */
export interface Choice {
  label: string;
  value: string;
}

/** One bot message, channel-neutral. Adapters render choices as keyboards, buttons… */
export interface Reply {
  text: string;
  choices?: Choice[];
  /** Ask the channel to offer a "share my location" button. */
  requestLocation?: boolean;
  /** A link to show with the text (knowledge-base article). */
  link?: { title: string; url: string };
}

export type { Language };
