import type { Request, Router } from 'express';
import { authenticate, type Caller } from './auth';
import { badArgument } from './errors';
import { parseWatermark } from './history';
import { jsonBody } from './json';
import type { DirectLineDeps } from './routes';
import {
  conversationOf,
  resumeToken,
  startConversation,
  startSchema,
  storedConversation,
  take,
} from './routes-shared';
import type { ChatConversation } from './store';

/**
 * `POST /conversations` (start one with the secret, or open the token's own) and
 * `GET /conversations/:conversationId` (reconnect): a token and the WebSocket stream's URL.
 */
export function addConversationRoutes(r: Router, deps: DirectLineDeps): void {
  const { tokens, limits, rates } = deps;
  const secret = deps.ctx.config.webchat.directLineSecret;
  // Bodies are read per route, after the rate limits, and only as large as the call needs.
  const tokenBody = jsonBody(limits.maxTokenBodyBytes);

  r.post('/conversations', tokenBody, async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    let conversation: ChatConversation;
    if (caller.kind === 'secret') {
      const body = startSchema.safeParse(req.body);
      if (!body.success) throw badArgument('expected {"user": {"id", "name"}} or no body');
      conversation = await startConversation(deps, body.data?.user ?? {}, true);
    } else {
      await take(rates.tokensPerConversation, caller.claims.conversationId);
      conversation = await storedConversation(deps, caller.claims.conversationId);
    }
    const issued = tokenFor(deps, caller, conversation);
    res.status(201).json({
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(deps, req, conversation, issued.expiresAt),
      resume_token: resumeToken(deps, conversation),
    });
  });

  r.get('/conversations/:conversationId', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(deps, req, caller);
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === null) throw badArgument('watermark: expected a number');
    const issued = tokenFor(deps, caller, conversation);
    res.json({
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(deps, req, conversation, issued.expiresAt, watermark),
    });
  });
}

/** A conversation token for the caller: the one presented (still valid) or a new one. */
function tokenFor(deps: DirectLineDeps, caller: Caller, c: ChatConversation) {
  const { tokens } = deps;
  if (caller.kind === 'token') {
    return {
      token: caller.token,
      expiresIn: tokens.secondsLeft(caller.claims.expiresAt),
      expiresAt: caller.claims.expiresAt,
    };
  }
  return tokens.issue({ conversationId: c.id });
}

/** The WebSocket URL of the conversation's stream, with a stream token ending with `expiresAt`. */
function streamUrl(
  deps: DirectLineDeps,
  req: Request,
  c: ChatConversation,
  expiresAt: number,
  watermark?: number,
): string {
  const stream = deps.tokens.issue({ conversationId: c.id }, 'stream', expiresAt);
  const base = `${req.protocol === 'https' ? 'wss' : 'ws'}://${safeHost(req)}`;
  const q = new URLSearchParams({
    t: stream.token,
    watermark: watermark ? String(watermark) : '',
  });
  return `${base}/v3/directline/conversations/${c.id}/stream?${q}`;
}

/** The Host header when it is a plain host[:port] (it is client-supplied), else localhost. */
function safeHost(req: Request): string {
  const host = req.get('host') ?? '';
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? host
    : 'localhost';
}
