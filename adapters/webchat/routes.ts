import express, { type Router } from 'express';
import type { ChannelContext } from '../../src/channel';
import { directLineCors } from './cors';
import { directLineErrors, notFound, sendError } from './errors';
import type { ConversationHistory } from './history';
import type { ConversationHub } from './hub';
import type { WebchatLimits, WebchatRates } from './limits';
import { addActivityRoutes } from './routes-activities';
import { addConversationRoutes } from './routes-conversations';
import { addTokenRoutes } from './routes-tokens';
import { addUploadRoutes } from './routes-uploads';
import type { WebChatStore } from './store';
import type { TokenSigner } from './tokens';

/** What the Direct Line routes work with. */
export interface DirectLineDeps {
  ctx: ChannelContext;
  /** The web chat's own storage port. */
  chats: WebChatStore;
  tokens: TokenSigner;
  history: ConversationHistory;
  hub: ConversationHub;
  limits: WebchatLimits;
  rates: WebchatRates;
}

export type { WebchatRates } from './limits';

/**
 * The Direct Line 3.0 subset, to mount at `/v3/directline`: tokens (generate, refresh),
 * conversations (start, reconnect), activities (post, poll) and photo upload. Errors answer in the
 * Direct Line shape `{ "error": { "code", "message" } }`.
 */
export function directLineRoutes(deps: DirectLineDeps): Router {
  const { ctx } = deps;
  const r = express.Router();
  r.use(directLineCors(ctx.config.webchat.allowedOrigins));
  addTokenRoutes(r, deps);
  addConversationRoutes(r, deps);
  addActivityRoutes(r, deps);
  addUploadRoutes(r, deps);
  r.use((req, res) => sendError(res, notFound(`no route ${req.method} ${req.baseUrl}${req.path}`)));
  r.use(directLineErrors(ctx.logger));
  return r;
}
