import { summary } from '../../knowledge/articles';
import { QUESTIONS_ANSWERED } from '../../stats/facts';
import type { TurnContext } from '../context';

/** Answers from the knowledge base, then asks whether it helped; says so honestly when it can't. */
export function answerQuestion(ctx: TurnContext): void {
  const hit = ctx.deps.knowledge.answer(ctx.text, ctx.lang);
  ctx.session.lastQuestion = ctx.text;
  if (!hit) {
    delete ctx.session.dialog;
    ctx.say('question.no_answer');
    offerHelp(ctx);
    return;
  }
  const a = hit.doc;
  ctx.count(QUESTIONS_ANSWERED);
  ctx.replies.push({
    text: ctx.t('question.answer', { title: a.title, summary: summary(a) }),
    ...(a.url ? { link: { title: a.title, url: a.url } } : {}),
  });
  ctx.session.dialog = { kind: 'kb_feedback', articleId: a.id };
  ctx.say(
    'question.helpful',
    {},
    { choices: [ctx.choice('yes', 'helpful:yes'), ctx.choice('no', 'helpful:no')] },
  );
}

/** After "did this help?". */
export function feedback(ctx: TurnContext): boolean {
  const action = ctx.msg.action ?? '';
  const yes =
    action === 'helpful:yes' ||
    (!action && /^(ya|iya|yes|sudah|membantu|helpful|thanks|makasih)/i.test(ctx.text));
  const no =
    action === 'helpful:no' || (!action && /^(tidak|no|belum|nggak|gak|ga)\b/i.test(ctx.text));
  if (!yes && !no) return false;
  delete ctx.session.dialog;
  if (yes) {
    delete ctx.session.lastQuestion; // settled: an officer later does not need it
    ctx.say('question.glad');
  } else offerHelp(ctx);
  return true;
}

function offerHelp(ctx: TurnContext): void {
  ctx.say(
    'question.offer',
    {},
    {
      choices: [ctx.choice('menu.report', 'menu:report'), ctx.choice('menu.agent', 'menu:agent')],
    },
  );
}
