import type { RequestHandler, Router } from 'express';
import { authenticate, authenticateResume, bearer } from './auth';
import { badArgument, forbidden, unauthorized } from './errors';
import { jsonBody } from './json';
import { originAllowed } from './origins';
import type { DirectLineDeps } from './routes';
import {
  clientAddress,
  resumeToken,
  startConversation,
  startSchema,
  storedConversation,
  take,
} from './routes-shared';
import type { ChatConversation } from './store';
import { sameSecret } from './tokens';

/**
 * `POST /tokens/generate` (a new conversation and its token), `/tokens/refresh` and
 * `/tokens/resume` (Suara's extension: see `resumeToken`).
 */
export function addTokenRoutes(r: Router, deps: DirectLineDeps): void {
  const { tokens, limits, rates } = deps;
  const { config } = deps.ctx;
  const secret = config.webchat.directLineSecret;
  // Bodies are read per route, after the rate limits, and only as large as the call needs.
  const tokenBody = jsonBody(limits.maxTokenBodyBytes);

  r.post('/tokens/generate', newConversationRate(deps), tokenBody, async (req, res) => {
    if (secret) {
      const given = bearer(req);
      if (!given) throw unauthorized('missing Authorization: Bearer <DIRECTLINE_SECRET>');
      if (!sameSecret(given, secret)) throw forbidden('wrong Direct Line secret');
    } else if (!originAllowed(req.get('origin'), req.get('host'), config.webchat.allowedOrigins)) {
      throw forbidden('origin not allowed (WEBCHAT_ALLOWED_ORIGINS)');
    }
    const body = startSchema.safeParse(req.body);
    if (!body.success) throw badArgument('expected {"user": {"id", "name"}} or no body');
    const conversation = await startConversation(deps, body.data?.user ?? {}, secret !== null);
    res.json(tokenAnswer(deps, conversation));
  });

  r.post('/tokens/refresh', tokenBody, async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    if (caller.kind !== 'token') throw badArgument('refresh a conversation token, not the secret');
    await take(rates.tokensPerConversation, caller.claims.conversationId);
    res.json(tokenAnswer(deps, await storedConversation(deps, caller.claims.conversationId)));
  });

  r.post('/tokens/resume', tokenBody, async (req, res) => {
    const claims = authenticateResume(req, tokens);
    await take(rates.tokensPerConversation, claims.conversationId);
    res.json(tokenAnswer(deps, await storedConversation(deps, claims.conversationId)));
  });
}

/**
 * New conversations per client address — except for a caller with the secret: a site's back
 * end asks for every one of its citizens from one address. A wrong secret is counted.
 */
function newConversationRate(deps: DirectLineDeps): RequestHandler {
  const secret = deps.ctx.config.webchat.directLineSecret;
  const { rates } = deps;
  return (req, _res, next) => {
    const given = bearer(req);
    if (secret && given && sameSecret(given, secret)) return next();
    take(rates.tokensPerIp, clientAddress(req)).then(() => next(), next);
  };
}

/** The answer of generate, refresh and resume: a new token (and resume token). */
function tokenAnswer(deps: DirectLineDeps, conversation: ChatConversation) {
  const issued = deps.tokens.issue({ conversationId: conversation.id });
  return {
    conversationId: conversation.id,
    token: issued.token,
    expires_in: issued.expiresIn,
    resume_token: resumeToken(deps, conversation),
  };
}
