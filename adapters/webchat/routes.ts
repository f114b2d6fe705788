import { randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ChannelContext } from '../../src/channel';
import { type Participant, parseUserActivity } from './activities';
import { authenticate, authenticateResume, bearer, type Caller, requireConversation } from './auth';
import { directLineCors } from './cors';
import {
  badArgument,
  directLineErrors,
  forbidden,
  notFound,
  sendError,
  tooLarge,
  tooMany,
  unauthorized,
} from './errors';
import { type ConversationHistory, parseWatermark } from './history';
import type { ConversationHub } from './hub';
import { conversationUser, storedUserId } from './identity';
import {
  BROWSER_USER_ID,
  CONVERSATION_ID,
  newConversationId,
  newUserId,
  TRUSTED_USER_ID,
} from './ids';
import { jsonBody } from './json';
import { addressKey, type RateLimiter, type WebchatLimits } from './limits';
import { originAllowed } from './origins';
import type { ChatConversation, WebChatStore } from './store';
import { RESUME_LIFETIME_MS, sameSecret, type TokenSigner } from './tokens';
import { acceptUserActivity } from './turns';
import { readUpload } from './uploads';

/** What the Direct Line routes work with. */
export interface DirectLineDeps {
  ctx: ChannelContext;
  chats: WebChatStore;
  tokens: TokenSigner;
  history: ConversationHistory;
  hub: ConversationHub;
  limits: WebchatLimits;
  rates: WebchatRates;
}

/** The rate limiters of the Direct Line routes (see `WebchatLimits` for what each counts). */
export interface WebchatRates {
  tokensPerIp: RateLimiter;
  tokensPerConversation: RateLimiter;
  messagesPerIp: RateLimiter;
  messagesPerConversation: RateLimiter;
}

const startSchema = z
  .object({
    user: z
      .object({
        id: z.string().optional(),
        name: z.string().max(100).optional(),
      })
      .optional(),
  })
  .optional();

/**
 * The Direct Line 3.0 subset, to mount at `/v3/directline`: tokens (generate, refresh),
 * conversations (start, reconnect), activities (post, poll) and photo upload. Errors answer in the
 * Direct Line shape `{ "error": { "code", "message" } }`.
 */
export function directLineRoutes(deps: DirectLineDeps): Router {
  const { ctx, chats, tokens, history, limits } = deps;
  const { config, clock } = ctx;
  const secret = config.webchat.directLineSecret;
  const r = express.Router();
  r.use(directLineCors(config.webchat.allowedOrigins));
  // Bodies are read per route, after the rate limits, and only as large as the call needs.
  const tokenBody = jsonBody(limits.maxTokenBodyBytes);
  const activityBody = jsonBody(limits.maxBodyBytes);

  const { rates } = deps;
  /** Takes one request from a bucket, or refuses it with 429 and Retry-After. */
  const take = (limiter: RateLimiter, key: string) => {
    const taken = limiter.take(key);
    if (!taken.ok) throw tooMany(taken.retryAfterS);
  };
  /** The client's address as the `TRUST_PROXY` setting says (`req.ip`), keyed per network. */
  const address = (req: Request) => addressKey(req.ip ?? 'unknown');
  /**
   * New conversations per client address — except for a caller with the secret: a site's back
   * end asks for every one of its citizens from one address. A wrong secret is counted.
   */
  const newConversations: RequestHandler = (req, _res, next) => {
    const given = bearer(req);
    if (secret && given && sameSecret(given, secret)) return next();
    const taken = rates.tokensPerIp.take(address(req));
    next(taken.ok ? undefined : tooMany(taken.retryAfterS));
  };
  /** Messages and uploads: per conversation first (so a flooding one spends no shared budget). */
  const messageRate = (req: Request, caller: Caller, conversationId: string) => {
    take(rates.messagesPerConversation, conversationId);
    if (caller.kind === 'token') take(rates.messagesPerIp, address(req));
  };

  /** The conversation of the URL, checked against the caller, and its stored record. */
  const conversationOf = async (req: Request, caller: Caller): Promise<ChatConversation> => {
    const id = String(req.params.conversationId ?? '');
    if (!CONVERSATION_ID.test(id)) throw notFound('no such conversation');
    requireConversation(caller, id);
    const conversation = await chats.getConversation(id);
    if (!conversation) throw notFound('no such conversation');
    return conversation;
  };

  /**
   * Who writes in a conversation: always its stored user, whoever calls (a token of it, or the
   * secret). A `from` the client sends is never read.
   */
  const participant = (c: ChatConversation): Participant => {
    const user = conversationUser(c);
    return {
      conversationId: c.id,
      userId: user.shownId,
      userName: c.userName,
      citizenId: user.citizenId,
    };
  };

  /**
   * A new conversation. With the secret (`vouched`), a site's back end names its user: that id
   * is who the citizen is, in every conversation it starts for them. A browser's `user.id` is a
   * label only — echoed as `from.id` so the page knows its own messages, and never whose reports
   * the visitor sees (that is the conversation itself).
   */
  const startConversation = async (
    user: { id?: string | undefined; name?: string | undefined },
    vouched: boolean,
  ) => {
    if (user.id !== undefined && !(vouched ? TRUSTED_USER_ID : BROWSER_USER_ID).test(user.id)) {
      throw badArgument(
        vouched
          ? 'user.id: up to 64 letters, digits and _.:@-'
          : 'user.id: without the Direct Line secret, "dl_" and 16 or more random letters or digits (or leave it out)',
      );
    }
    const conversation: ChatConversation = {
      id: newConversationId(),
      userId: user.id === undefined ? newUserId() : storedUserId(user.id, vouched),
      createdAt: clock().toISOString(),
    };
    // No control characters or lone surrogates (JSON escapes each in 6 bytes: tokens overflow).
    const name = user.name?.replace(/[\p{Cc}\p{Cs}]/gu, '').trim();
    if (name) conversation.userName = name;
    await chats.createConversation(conversation);
    return conversation;
  };

  /** A conversation token for the caller: the one presented (still valid) or a new one. */
  const tokenFor = (caller: Caller, c: ChatConversation) => {
    if (caller.kind === 'token') {
      return {
        token: caller.token,
        expiresIn: tokens.secondsLeft(caller.claims.expiresAt),
        expiresAt: caller.claims.expiresAt,
      };
    }
    return tokens.issue({ conversationId: c.id });
  };

  /**
   * A Suara extension next to Direct Line's fields (other clients ignore it): a token that only
   * buys a new conversation token for this conversation (`POST /tokens/resume`), so a visitor who
   * comes back after the 30-minute token expired sees their conversation again, with the status
   * updates staff sent meanwhile. It ends 30 days after the conversation started, however often
   * it is renewed (none once that has passed).
   */
  const resumeToken = (conversation: ChatConversation) => {
    const ends = Date.parse(conversation.createdAt) + RESUME_LIFETIME_MS;
    return ends > clock().getTime()
      ? tokens.issue({ conversationId: conversation.id }, 'resume', ends).token
      : undefined;
  };

  /** The answer of generate, refresh and resume: a new token (and resume token). */
  const tokenAnswer = (conversation: ChatConversation) => {
    const issued = tokens.issue({ conversationId: conversation.id });
    return {
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      resume_token: resumeToken(conversation),
    };
  };

  /** The stored conversation a token names (404 when it is gone). */
  const storedConversation = async (conversationId: string) => {
    const found = await chats.getConversation(conversationId);
    if (!found) throw notFound('no such conversation');
    return found;
  };

  const streamUrl = (req: Request, c: ChatConversation, expiresAt: number, watermark?: number) => {
    const stream = tokens.issue({ conversationId: c.id }, 'stream', expiresAt);
    const base = `${req.protocol === 'https' ? 'wss' : 'ws'}://${safeHost(req)}`;
    const q = new URLSearchParams({
      t: stream.token,
      watermark: watermark ? String(watermark) : '',
    });
    return `${base}/v3/directline/conversations/${c.id}/stream?${q}`;
  };

  r.post('/tokens/generate', newConversations, tokenBody, async (req, res) => {
    if (secret) {
      const given = bearer(req);
      if (!given) throw unauthorized('missing Authorization: Bearer <DIRECTLINE_SECRET>');
      if (!sameSecret(given, secret)) throw forbidden('wrong Direct Line secret');
    } else if (!originAllowed(req.get('origin'), req.get('host'), config.webchat.allowedOrigins)) {
      throw forbidden('origin not allowed (WEBCHAT_ALLOWED_ORIGINS)');
    }
    const body = startSchema.safeParse(req.body);
    if (!body.success) throw badArgument('expected {"user": {"id", "name"}} or no body');
    const conversation = await startConversation(body.data?.user ?? {}, secret !== null);
    res.json(tokenAnswer(conversation));
  });

  r.post('/tokens/refresh', tokenBody, async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    if (caller.kind !== 'token') throw badArgument('refresh a conversation token, not the secret');
    take(rates.tokensPerConversation, caller.claims.conversationId);
    res.json(tokenAnswer(await storedConversation(caller.claims.conversationId)));
  });

  r.post('/tokens/resume', tokenBody, async (req, res) => {
    const claims = authenticateResume(req, tokens);
    take(rates.tokensPerConversation, claims.conversationId);
    res.json(tokenAnswer(await storedConversation(claims.conversationId)));
  });

  r.post('/conversations', tokenBody, async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    let conversation: ChatConversation;
    if (caller.kind === 'secret') {
      const body = startSchema.safeParse(req.body);
      if (!body.success) throw badArgument('expected {"user": {"id", "name"}} or no body');
      conversation = await startConversation(body.data?.user ?? {}, true);
    } else {
      take(rates.tokensPerConversation, caller.claims.conversationId);
      conversation = await storedConversation(caller.claims.conversationId);
    }
    const issued = tokenFor(caller, conversation);
    res.status(201).json({
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(req, conversation, issued.expiresAt),
      resume_token: resumeToken(conversation),
    });
  });

  r.get('/conversations/:conversationId', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(req, caller);
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === null) throw badArgument('watermark: expected a number');
    const issued = tokenFor(caller, conversation);
    res.json({
      conversationId: conversation.id,
      token: issued.token,
      expires_in: issued.expiresIn,
      streamUrl: streamUrl(req, conversation, issued.expiresAt, watermark),
    });
  });

  r.post('/conversations/:conversationId/activities', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(req, caller);
    // Read only for the conversation's own caller.
    await run(activityBody, req, res);
    messageRate(req, caller, conversation.id);
    const parsed = parseUserActivity(req.body, limits.maxTextChars);
    if (!parsed.ok) {
      if ('tooLong' in parsed) {
        throw tooLarge(`text may have at most ${limits.maxTextChars} characters`);
      }
      throw badArgument(`not an activity: ${parsed.errors.join('; ')}`);
    }
    const id = await acceptUserActivity(turnDeps(deps), participant(conversation), parsed.value);
    res.json({ id });
  });

  r.get('/conversations/:conversationId/activities', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(req, caller);
    const watermark = parseWatermark(req.query.watermark);
    if (watermark === null) throw badArgument('watermark: expected a number');
    const page = await history.page(conversation.id, watermark);
    res.json({ activities: page.activities, watermark: String(page.watermark) });
  });

  r.post('/conversations/:conversationId/upload', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(req, caller);
    messageRate(req, caller, conversation.id);
    if ((await chats.countUploads(conversation.id)) >= limits.maxUploadsPerConversation) {
      throw forbidden(
        `a conversation may upload at most ${limits.maxUploadsPerConversation} photos`,
      );
    }
    const upload = await readUpload(req, {
      maxBytes: limits.maxUploadBytes,
      maxActivityBytes: limits.maxBodyBytes,
    });
    // Microsoft's client lists the files in the activity part too: the file part is what counts.
    const raw = upload.activity ?? { type: 'message' };
    const activity = parseUserActivity(
      isRecord(raw) ? { ...raw, attachments: undefined } : raw,
      limits.maxTextChars,
    );
    if (!activity.ok) {
      if ('tooLong' in activity) {
        throw tooLarge(`text may have at most ${limits.maxTextChars} characters`);
      }
      throw badArgument(`the "activity" part is not an activity: ${activity.errors.join('; ')}`);
    }
    const id = randomUUID();
    await chats.putUpload({
      id,
      conversationId: conversation.id,
      mimeType: upload.photo.mimeType,
      bytes: upload.photo.bytes,
      createdAt: clock().toISOString(),
    });
    const echo: { contentType: string; name?: string } = { contentType: upload.photo.mimeType };
    if (upload.photo.name) echo.name = upload.photo.name;
    const activityId = await acceptUserActivity(
      turnDeps(deps),
      participant(conversation),
      { ...activity.value, type: 'message' },
      [
        {
          attachment: { kind: 'photo', ref: `webchat:${id}`, mimeType: upload.photo.mimeType },
          echo,
        },
      ],
    );
    res.json({ id: activityId });
  });

  r.use((req, res) => sendError(res, notFound(`no route ${req.method} ${req.baseUrl}${req.path}`)));
  r.use(directLineErrors(ctx.logger));
  return r;
}

/** Runs a middleware (a body parser) inside a handler; rejects with its error. */
function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function turnDeps(deps: DirectLineDeps) {
  const { bot, clock, logger } = deps.ctx;
  return { bot, clock, logger, history: deps.history, hub: deps.hub };
}

/** The Host header when it is a plain host[:port] (it is client-supplied), else localhost. */
function safeHost(req: Request): string {
  const host = req.get('host') ?? '';
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? host
    : 'localhost';
}
