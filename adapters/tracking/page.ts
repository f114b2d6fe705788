import { createHash } from 'node:crypto';
import { escapeHtml, htmlDocument } from '../../src/http/html';
import type { Language } from '../../src/taxonomy';
import { type PageTexts, pageTexts } from './texts';
import type { PublicCase, PublicStep } from './view';

// Server-rendered HTML of the tracking page: no script, no external asset, one inline style
// sheet allowed by its hash. Every value is escaped where it is put into the markup.

/**
 * The page's only style sheet. Colours keep text contrast at 4.5:1 or more (body #1f2937 on
 * white 14.7:1, links and button #1d4ed8 7.0:1, hints #4b5563 7.6:1, badges 6.8:1 and more); the
 * focus ring is a 3px outline on every focusable element.
 */
const CSS = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.55;color:#1f2937;background:#f3f4f6}
.skip{position:absolute;left:-9999px;top:0;background:#fff;color:#1d4ed8;padding:.5rem 1rem}
.skip:focus{left:.5rem;top:.5rem;z-index:1}
header{background:#7f1d1d;color:#fff;padding:.9rem 1.25rem}
header p{margin:0;font-weight:600}
.bar{max-width:46rem;margin:0 auto;padding:.75rem 1.25rem 0;text-align:right}
main{display:block;max-width:46rem;margin:0 auto;padding:0 1.25rem 2rem}
h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0 1rem}
h2{font-size:1.2rem;margin:1.75rem 0 .75rem}
a{color:#1d4ed8}
a:focus-visible,button:focus-visible,input:focus{outline:3px solid #1d4ed8;outline-offset:2px}
.card{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:1rem 1.25rem}
dl{margin:0;display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.5rem 1rem}
dt{font-weight:600}
dd{margin:0}
.status{font-weight:700}
.badge{display:inline-block;margin-left:.4rem;padding:0 .5rem;border-radius:999px;font-size:.9rem;font-weight:600;border:1px solid currentColor}
.on_time{background:#d1fae5;color:#065f46}
.due_soon{background:#fef3c7;color:#78350f}
.overdue{background:#fee2e2;color:#7f1d1d}
ol.timeline{list-style:none;margin:0;padding:0;border-left:3px solid #9ca3af}
ol.timeline li{position:relative;margin:0 0 1rem;padding:0 0 0 1rem}
ol.timeline time{display:block;font-size:.95rem;color:#4b5563}
.what{margin:.1rem 0 0;font-weight:600}
.note{margin:.25rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.notice{background:#eff6ff;border-left:4px solid #1d4ed8;padding:.75rem 1rem;margin:1rem 0}
.error{background:#fef2f2;border-left:4px solid #b91c1c;color:#7f1d1d;padding:.75rem 1rem;margin:1rem 0}
form{margin:0}
label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{margin:0 0 .5rem;color:#4b5563;font-size:.95rem}
input{font:inherit;padding:.5rem .6rem;border:2px solid #4b5563;border-radius:6px;width:14rem;max-width:100%;text-transform:uppercase}
button{font:inherit;font-weight:600;margin-left:.4rem;padding:.5rem 1.1rem;border:2px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
footer{max-width:46rem;margin:0 auto;padding:1rem 1.25rem 2rem;color:#4b5563;font-size:.95rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dt{margin-top:.5rem}button{margin:.5rem 0 0}}`;

/**
 * The page's Content-Security-Policy: nothing may load or run but the inline style sheet (by its
 * hash); forms only submit here; no framing, no `<base>`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as people read it in the service's time zone: `long` for a deadline ("Rabu, 2
 * Desember 2026 pukul 23.59 WIB"), `short` for a step of the history ("27 Nov 2026, 09.00 WIB").
 */
export function formatInstant(
  iso: string,
  lang: Language,
  timeZone: string,
  style: 'long' | 'short',
): string {
  const key = `${lang}|${timeZone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
      timeZone,
      ...(style === 'long'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
        : { day: 'numeric', month: 'short', year: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(key, f);
  }
  return f.format(new Date(iso));
}

/** What every page needs: its language, and where the same page is in the other language. */
export interface PageFrame {
  lang: Language;
  /** The path of this page without a query (`/lacak`, `/lacak/ADU-7K3M9Q`). */
  path: string;
  timeZone: string;
}

function layout(frame: PageFrame, title: string, body: string): string {
  const t = pageTexts(frame.lang);
  const other: Language = frame.lang === 'id' ? 'en' : 'id';
  const o = pageTexts(other);
  return htmlDocument({
    lang: frame.lang,
    title,
    site: t.site,
    skipToContent: t.skipToContent,
    other: {
      href: `${frame.path}?lang=${other}`,
      lang: other,
      label: o.switchTo,
      name: o.languageName,
    },
    css: CSS,
    main: body,
    footer: t.privacy,
    referrer: 'no-referrer',
    noindex: true,
  });
}

/** The look-up form: one labelled input, its hint, and (when the last try failed) the error. */
function form(
  t: PageTexts,
  lang: Language,
  options: { value?: string; error?: string; autofocus?: boolean } = {},
): string {
  const described = options.error ? 'id-error id-hint' : 'id-hint';
  const error = options.error
    ? `<p class="error" id="id-error" role="alert">${escapeHtml(options.error)}</p>\n`
    : '';
  // The language goes with the form, so the answer comes in the language of this page.
  const keepLang = lang === 'en' ? '<input type="hidden" name="lang" value="en">' : '';
  return `${error}<form method="get" action="/lacak">
<label for="id">${escapeHtml(t.label)}</label>
<p class="hint" id="id-hint">${escapeHtml(t.hint)}</p>
<input type="text" id="id" name="id" value="${escapeHtml(options.value ?? '')}" maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" required aria-describedby="${described}"${options.error ? ' aria-invalid="true"' : ''}${options.autofocus ? ' autofocus' : ''}>${keepLang}
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`;
}

/**
 * The look-up page (`GET /lacak`), with the error of the last try when there is one.
 *
 * @example
 * res.send(formPage({ lang: 'id', path: '/lacak', timeZone: 'Asia/Jakarta' }, { error: pageTexts('id').emptyId }));
 */
export function formPage(
  frame: PageFrame,
  options: { value?: string; error?: string } = {},
): string {
  const t = pageTexts(frame.lang);
  return layout(
    frame,
    t.formTitle,
    `<h1>${escapeHtml(t.formTitle)}</h1>
<p>${escapeHtml(t.formIntro)}</p>
<div class="card">
${form(t, frame.lang, { ...options, autofocus: options.error !== undefined })}
</div>`,
  );
}

function step(frame: PageFrame, t: PageTexts, s: PublicStep): string {
  const what = s.type === 'transfer' && s.agency ? t.transferredTo(s.agency) : t.events[s.type];
  const label = s.type === 'note' ? '' : `${escapeHtml(t.note)}: `;
  const note = s.note ? `\n<p class="note">${label}${escapeHtml(s.note)}</p>` : '';
  return `<li><time datetime="${escapeHtml(s.at)}">${escapeHtml(formatInstant(s.at, frame.lang, frame.timeZone, 'short'))}</time>
<p class="what">${escapeHtml(what)}</p>${note}</li>`;
}

/**
 * The page of one case (`GET /lacak/<id>`): its status, and unless it is confidential its
 * category, agency, running deadline with its SLA state, and public history.
 *
 * @example
 * res.send(casePage({ lang: 'en', path: `/lacak/${view.trackingId}`, timeZone }, view));
 */
export function casePage(frame: PageFrame, view: PublicCase): string {
  const t = pageTexts(frame.lang);
  const status = `<dt>${escapeHtml(t.status)}</dt>
<dd class="status">${escapeHtml(t.statuses[view.status])}</dd>`;
  const d = view.details;
  let body: string;
  if (!d) {
    body = `<div class="card"><dl>
${status}
</dl></div>
<p class="notice">${escapeHtml(t.confidential)}</p>`;
  } else {
    const deadline = d.deadline
      ? `<dt>${escapeHtml(t.deadline[d.deadline.kind])}</dt>
<dd><time datetime="${escapeHtml(d.deadline.due)}">${escapeHtml(formatInstant(d.deadline.due, frame.lang, frame.timeZone, 'long'))}</time>${
          d.deadline.sla
            ? ` <span class="badge ${d.deadline.sla}">${escapeHtml(t.sla[d.deadline.sla])}</span>`
            : ''
        }</dd>`
      : `<dt>${escapeHtml(t.deadlineNone)}</dt>
<dd>${escapeHtml(t.noDeadline)}</dd>`;
    const history =
      d.timeline.length > 0
        ? `<ol class="timeline">
${d.timeline.map((s) => step(frame, t, s)).join('\n')}
</ol>`
        : `<p>${escapeHtml(t.noTimeline)}</p>`;
    body = `<div class="card"><dl>
${status}
<dt>${escapeHtml(t.category)}</dt>
<dd>${escapeHtml(d.category)}</dd>
<dt>${escapeHtml(t.agency)}</dt>
<dd>${escapeHtml(d.agency)}</dd>
${deadline}
</dl></div>
<section aria-labelledby="history">
<h2 id="history">${escapeHtml(t.timeline)}</h2>
<div class="card">
${history}
</div>
</section>`;
  }
  return layout(
    frame,
    t.caseTitle(view.trackingId),
    `<h1>${escapeHtml(t.caseTitle(view.trackingId))}</h1>
${body}
<section aria-labelledby="again">
<h2 id="again">${escapeHtml(t.searchAgain)}</h2>
<div class="card">
${form(t, frame.lang)}
</div>
</section>`,
  );
}

/**
 * The answer for a tracking id with no case (`id`: the canonical id), or for text that is no
 * tracking id at all (`id` null; `typed` is put back into the input to correct it).
 */
export function notFoundPage(frame: PageFrame, id: string | null, typed = ''): string {
  const t = pageTexts(frame.lang);
  const title = id ? t.notFoundTitle : t.malformedTitle;
  return layout(
    frame,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error">${escapeHtml(id ? t.notFound(id) : t.malformed)}</p>
<section aria-labelledby="again">
<h2 id="again">${escapeHtml(t.searchAgain)}</h2>
<div class="card">
${form(t, frame.lang, { value: id ?? typed.slice(0, 40) })}
</div>
</section>`,
  );
}

/** The answer over the rate limit: when to try again, and nothing else. */
export function tooManyPage(frame: PageFrame, retryAfterS: number): string {
  const t = pageTexts(frame.lang);
  return layout(
    frame,
    t.tooManyTitle,
    `<h1>${escapeHtml(t.tooManyTitle)}</h1>
<p>${escapeHtml(t.tooMany(retryAfterS))}</p>`,
  );
}

/** The answer when the store cannot be read. */
export function unavailablePage(frame: PageFrame): string {
  const t = pageTexts(frame.lang);
  return layout(
    frame,
    t.unavailableTitle,
    `<h1>${escapeHtml(t.unavailableTitle)}</h1>
<p>${escapeHtml(t.unavailable)}</p>`,
  );
}
