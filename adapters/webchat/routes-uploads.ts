import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { parseUserActivity, type UserActivity } from './activities';
import { authenticate } from './auth';
import { badArgument, forbidden, tooLarge } from './errors';
import type { DirectLineDeps } from './routes';
import { conversationOf, participant, takeMessage, turnDeps } from './routes-shared';
import { acceptUserActivity } from './turns';
import { readUpload } from './uploads';

/**
 * `POST /conversations/:conversationId/upload`: a photo (stored, then sent as the message's
 * attachment) with an optional activity part for its text.
 */
export function addUploadRoutes(r: Router, deps: DirectLineDeps): void {
  const { tokens, limits, rates } = deps;
  const { chats } = deps;
  const { clock } = deps.ctx;
  const secret = deps.ctx.config.webchat.directLineSecret;

  r.post('/conversations/:conversationId/upload', async (req, res) => {
    const caller = authenticate(req, tokens, secret);
    const conversation = await conversationOf(deps, req, caller);
    await takeMessage(rates, req, caller, conversation.id);
    if ((await chats.countUploads(conversation.id)) >= limits.maxUploadsPerConversation) {
      throw forbidden(
        `a conversation may upload at most ${limits.maxUploadsPerConversation} photos`,
      );
    }
    const upload = await readUpload(req, {
      maxBytes: limits.maxUploadBytes,
      maxActivityBytes: limits.maxBodyBytes,
    });
    const activity = uploadActivity(upload.activity, limits.maxTextChars);
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
      { ...activity, type: 'message' },
      [
        {
          attachment: { kind: 'photo', ref: `webchat:${id}`, mimeType: upload.photo.mimeType },
          echo,
        },
      ],
    );
    res.json({ id: activityId });
  });
}

/** The upload's activity part (a plain message when there is none), checked. */
function uploadActivity(raw: unknown, maxTextChars: number): UserActivity {
  // Microsoft's client lists the files in the activity part too: the file part is what counts.
  const given = raw ?? { type: 'message' };
  const activity = parseUserActivity(
    isRecord(given) ? { ...given, attachments: undefined } : given,
    maxTextChars,
  );
  if (!activity.ok) {
    if ('tooLong' in activity) {
      throw tooLarge(`text may have at most ${maxTextChars} characters`);
    }
    throw badArgument(`the "activity" part is not an activity: ${activity.errors.join('; ')}`);
  }
  return activity.value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
