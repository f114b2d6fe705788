import { createHash } from 'node:crypto';
import { escapeHtml, htmlDocument } from '../../src/http/html';
import type { Language } from '../../src/taxonomy';
import { type DashboardTexts, dashboardTexts } from './texts';
import type { FiguresJson, StatsJson } from './views';

// Server-rendered HTML of the statistics page and the supervisor view. Every figure is in a
// table (the charts' alternative, readable without script); the charts are drawn over them by
// /statistik/assets/charts.js with Chart.js, both served from here (no CDN). Every value is
// escaped where it is put into the markup; the data for the charts is JSON in a non-executed
// script element, with `<` escaped.

/** Where the static files are served. */
export const ASSETS_PATH = '/statistik/assets';

/**
 * The pages' only style sheet. Text contrast 4.5:1 or more (body #1f2937 on white 14.7:1, links
 * #1d4ed8 7.0:1, hints #4b5563 7.6:1); a 3px focus ring on everything focusable.
 */
const CSS = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1f2937;background:#f3f4f6}
.skip{position:absolute;left:-9999px;top:0;background:#fff;color:#1d4ed8;padding:.5rem 1rem}
.skip:focus{left:.5rem;top:.5rem;z-index:1}
header{background:#7f1d1d;color:#fff;padding:.9rem 1.25rem}
header p{margin:0;font-weight:600}
.bar{max-width:72rem;margin:0 auto;padding:.75rem 1.25rem 0;display:flex;justify-content:flex-end;gap:1.25rem}
main{display:block;max-width:72rem;margin:0 auto;padding:0 1.25rem 2rem}
h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0 .25rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
a{color:#1d4ed8}
a:focus-visible,button:focus-visible,input:focus,select:focus{outline:3px solid #1d4ed8;outline-offset:2px}
.card{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:1rem 1.25rem}
.period{margin:0 0 1rem;color:#4b5563}
form.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}
label{display:block;font-weight:600;margin-bottom:.25rem}
input,select{font:inherit;padding:.45rem .5rem;border:2px solid #4b5563;border-radius:6px;background:#fff;color:#1f2937}
button{font:inherit;font-weight:600;padding:.5rem 1.1rem;border:2px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem;margin:0;padding:0;list-style:none}
.tiles li{background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:.75rem 1rem}
.tiles .label{display:block;color:#4b5563;font-size:.9rem}
.tiles .value{display:block;font-size:1.35rem;font-weight:700}
figure{margin:0 0 1rem;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:1rem}
.chart{position:relative;height:18rem}
figcaption{color:#4b5563;font-size:.9rem;margin-top:.5rem}
.table{overflow-x:auto;background:#fff;border:1px solid #d1d5db;border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.75rem 1rem}
th,td{padding:.45rem .75rem;border-top:1px solid #e5e7eb;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{background:#f9fafb}
.error{background:#fef2f2;border-left:4px solid #b91c1c;color:#7f1d1d;padding:.75rem 1rem;margin:1rem 0}
.notice{background:#eff6ff;border-left:4px solid #1d4ed8;padding:.75rem 1rem;margin:1rem 0}
.overdue{color:#991b1b;font-weight:600}
.due_soon{color:#78350f;font-weight:600}
footer{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 2rem;color:#4b5563;font-size:.9rem}
form.inline{display:inline}
form.inline button{padding:.25rem .75rem}`;

/**
 * The pages' Content-Security-Policy: scripts only from this origin (Chart.js and charts.js),
 * the inline style sheet by its hash, forms only to here, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What every page needs: its language, its address (for the language link), the agencies. */
export interface PageFrame {
  lang: Language;
  /** The path and query of this page, without `lang`. */
  path: string;
  query: Record<string, string>;
  agencies: { id: string; name: string }[];
  /** Extra links in the top bar (sign out…), as HTML. */
  bar?: string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function num(lang: Language, value: number, style: 'percent' | 'decimal' = 'decimal'): string {
  const key = `${lang}|${style}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
      style,
      maximumFractionDigits: style === 'percent' ? 1 : 2,
    });
    numberFormats.set(key, f);
  }
  return f.format(value);
}

/** A date (`YYYY-MM-DD`) as people read it: "23 Nov 2026". */
export function readableDate(date: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

function query(params: Record<string, string>): string {
  const q = new URLSearchParams(params).toString();
  return q ? `?${q}` : '';
}

/** The page around `body`. */
export function layout(frame: PageFrame, title: string, body: string, scripts = false): string {
  const t = dashboardTexts(frame.lang);
  const other: Language = frame.lang === 'id' ? 'en' : 'id';
  const o = dashboardTexts(other);
  return htmlDocument({
    lang: frame.lang,
    title,
    site: t.site,
    skipToContent: t.skipToContent,
    other: {
      href: `${frame.path}${query({ ...frame.query, lang: other })}`,
      lang: other,
      label: o.switchTo,
      name: o.languageName,
    },
    css: CSS,
    main: body,
    footer: t.privacy,
    referrer: 'same-origin',
    emptyIcon: true,
    ...(frame.bar ? { bar: frame.bar } : {}),
    ...(scripts
      ? { scripts: [`${ASSETS_PATH}/chart.umd.min.js`, `${ASSETS_PATH}/charts.js`] }
      : {}),
  });
}

/** The filter form: dates and (on the public page) the agency; submitting changes the URL. */
export function filterForm(
  frame: PageFrame,
  action: string,
  values: { from: string; to: string; agency?: string },
  withAgency: boolean,
): string {
  const t = dashboardTexts(frame.lang);
  const options = [
    `<option value=""${values.agency ? '' : ' selected'}>${escapeHtml(t.allAgencies)}</option>`,
    ...frame.agencies.map(
      (a) =>
        `<option value="${escapeHtml(a.id)}"${a.id === values.agency ? ' selected' : ''}>${escapeHtml(a.name)}</option>`,
    ),
  ].join('');
  const agency = withAgency
    ? `<div><label for="f-agency">${escapeHtml(t.agency)}</label><select id="f-agency" name="agency">${options}</select></div>`
    : '';
  const keepLang = frame.lang === 'en' ? '<input type="hidden" name="lang" value="en">' : '';
  return `<form class="filters card" method="get" action="${escapeHtml(action)}" aria-label="${escapeHtml(t.filters)}">
<div><label for="f-from">${escapeHtml(t.from)}</label><input type="date" id="f-from" name="from" value="${escapeHtml(values.from)}" required></div>
<div><label for="f-to">${escapeHtml(t.to)}</label><input type="date" id="f-to" name="to" value="${escapeHtml(values.to)}" required></div>
${agency}${keepLang}
<div><button type="submit">${escapeHtml(t.show)}</button></div>
</form>`;
}

function daysText(t: DashboardTexts, lang: Language, v: number | null): string {
  return v === null ? t.none : t.days(num(lang, v));
}
function shareText(t: DashboardTexts, lang: Language, v: number | null): string {
  return v === null ? t.none : num(lang, v, 'percent');
}
function ratingText(t: DashboardTexts, lang: Language, r: FiguresJson['rating']): string {
  return r.average === null ? t.none : t.ratingValue(num(lang, r.average), r.count);
}

function table(id: string, caption: string, head: string[], rows: string[][]): string {
  const th = head
    .map((h, i) => `<th scope="col"${i === 0 ? '' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table"><table id="${id}">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${th}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

function chart(id: string, label: string, tableId: string): string {
  return `<figure>
<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(label)}" aria-describedby="${tableId}"></canvas></div>
<figcaption>${escapeHtml(label)}</figcaption>
</figure>`;
}

/**
 * The statistics: summary tiles, then reports per week, by category and per agency, each a chart
 * and its table; the chart data as JSON for charts.js.
 */
export function statsSections(lang: Language, s: StatsJson): string {
  const t = dashboardTexts(lang);
  const n = (v: number) => num(lang, v);
  const tiles: [string, string][] = [
    [t.cases, n(s.total.cases)],
    [t.open, n(s.total.open)],
    [t.onTime, shareText(t, lang, s.total.finished_on_time)],
    [t.medianResponse, daysText(t, lang, s.total.median_response_days)],
    [t.medianResolution, daysText(t, lang, s.total.median_resolution_days)],
    [t.rating, ratingText(t, lang, s.total.rating)],
    [t.reopened, shareText(t, lang, s.total.reopened)],
  ];
  const weekHead = [t.week, t.complaints, t.aspirations, t.handoffs];
  const withQuestions = s.weeks.some((w) => w.questions_answered !== null);
  if (withQuestions) weekHead.push(t.questionsAnswered);
  const weekRows = s.weeks.map((w) => {
    const row = [readableDate(w.week, lang), n(w.complaints), n(w.aspirations), n(w.handoffs)];
    if (withQuestions) row.push(n(w.questions_answered ?? 0));
    return row;
  });
  const agencyRows = s.agencies.map((a) => [
    a.name,
    n(a.cases),
    n(a.open),
    n(a.finished),
    shareText(t, lang, a.finished_on_time),
    daysText(t, lang, a.median_response_days),
    daysText(t, lang, a.median_resolution_days),
    ratingText(t, lang, a.rating),
    shareText(t, lang, a.reopened),
  ]);
  const data = JSON.stringify({
    labels: {
      complaints: t.complaints,
      aspirations: t.aspirations,
      handoffs: t.handoffs,
      questions: t.questionsAnswered,
      cases: t.cases,
      onTime: t.onTime,
    },
    weeks: s.weeks.map((w) => ({ ...w, label: readableDate(w.week, lang) })),
    categories: s.categories,
    agencies: s.agencies.map((a) => ({ name: a.name, finished_on_time: a.finished_on_time })),
  }).replace(/</g, '\\u003c');
  return `<section aria-labelledby="h-summary">
<h2 id="h-summary">${escapeHtml(t.summary)}</h2>
<ul class="tiles">
${tiles.map(([label, value]) => `<li><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span></li>`).join('\n')}
</ul>
</section>
<section aria-labelledby="h-weeks">
<h2 id="h-weeks">${escapeHtml(t.perWeek)}</h2>
${chart('chart-weeks', t.chartWeeks, 'table-weeks')}
${table('table-weeks', `${t.tableFollows}: ${t.perWeek}`, weekHead, weekRows)}
</section>
<section aria-labelledby="h-categories">
<h2 id="h-categories">${escapeHtml(t.byCategory)}</h2>
${chart('chart-categories', t.chartCategories, 'table-categories')}
${table(
  'table-categories',
  `${t.tableFollows}: ${t.byCategory}`,
  [t.category, t.cases],
  s.categories.map((c) => [c.name, n(c.cases)]),
)}
</section>
<section aria-labelledby="h-agencies">
<h2 id="h-agencies">${escapeHtml(t.perAgency)}</h2>
${chart('chart-agencies', t.chartAgencies, 'table-agencies')}
${table(
  'table-agencies',
  `${t.tableFollows}: ${t.perAgency}`,
  [
    t.agency,
    t.cases,
    t.open,
    t.finished,
    t.onTime,
    t.medianResponse,
    t.medianResolution,
    t.rating,
    t.reopened,
  ],
  agencyRows,
)}
</section>
<script type="application/json" id="stats-data">${data}</script>`;
}

/** The public statistics page (`/statistik`). */
export function publicPage(frame: PageFrame, s: StatsJson, agency?: string): string {
  const t = dashboardTexts(frame.lang);
  const who = s.agency ? s.agency.name : t.allAgencies;
  return layout(
    frame,
    t.publicTitle,
    `<h1>${escapeHtml(t.publicTitle)}</h1>
<p class="period">${escapeHtml(t.period(readableDate(s.from, frame.lang), readableDate(s.to, frame.lang)))} · ${escapeHtml(who)}</p>
<p>${escapeHtml(t.publicIntro)}</p>
${filterForm(frame, '/statistik', { from: s.from, to: s.to, ...(agency ? { agency } : {}) }, true)}
${statsSections(frame.lang, s)}`,
    true,
  );
}

/** A page that only says something (a refused filter, a store that cannot be read). */
export function messagePage(frame: PageFrame, title: string, message: string, extra = ''): string {
  return layout(
    frame,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
${extra}`,
  );
}

/** One row of the supervisor's queue (a case past or near its deadline), personal data masked. */
export interface QueueRow {
  trackingId: string;
  category: string;
  agency: string;
  ageDays: number;
  /** The running deadline, ISO, and as people read it. */
  due: string;
  dueText: string;
  state: 'overdue' | 'due_soon';
  reporter: string;
}

/** The supervisor view (`/dashboard`): the same statistics for the session's agencies, the queue. */
export function supervisorPage(
  frame: PageFrame,
  s: StatsJson,
  options: {
    scopeName: string;
    agency?: string;
    withAgency: boolean;
    queue: QueueRow[];
    csv: string;
  },
): string {
  const t = dashboardTexts(frame.lang);
  const rows = options.queue
    .map(
      (q) =>
        `<tr><th scope="row">${escapeHtml(q.trackingId)}</th><td>${escapeHtml(q.category)}</td><td>${escapeHtml(q.agency)}</td><td>${escapeHtml(t.ageDays(q.ageDays))}</td><td><time datetime="${escapeHtml(q.due)}">${escapeHtml(q.dueText)}</time></td><td class="${q.state}">${escapeHtml(t.sla[q.state])}</td><td>${escapeHtml(q.reporter)}</td></tr>`,
    )
    .join('\n');
  const queue =
    options.queue.length === 0
      ? `<p class="notice">${escapeHtml(t.queueEmpty)}</p>`
      : `<div class="table"><table id="table-queue">
<caption>${escapeHtml(t.queue)}</caption>
<thead><tr>${[t.trackingId, t.category, t.agency, t.age, t.deadline, t.state, t.reporter].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
  return layout(
    frame,
    t.dashboardTitle(options.scopeName),
    `<h1>${escapeHtml(t.dashboardTitle(options.scopeName))}</h1>
<p class="period">${escapeHtml(t.period(readableDate(s.from, frame.lang), readableDate(s.to, frame.lang)))}${s.agency ? ` · ${escapeHtml(s.agency.name)}` : ''}</p>
${filterForm(frame, '/dashboard', { from: s.from, to: s.to, ...(options.agency ? { agency: options.agency } : {}) }, options.withAgency)}
<section aria-labelledby="h-queue">
<h2 id="h-queue">${escapeHtml(t.queue)}</h2>
<p>${escapeHtml(t.queueIntro)} <a href="${escapeHtml(options.csv)}" download>${escapeHtml(t.csv)}</a></p>
${queue}
</section>
${statsSections(frame.lang, s)}`,
    true,
  );
}

/** The sign-in page: a button (POST), so a link preview that fetches the URL signs nobody in. */
export function signInPage(frame: PageFrame, token: string): string {
  const t = dashboardTexts(frame.lang);
  return layout(
    frame,
    t.signInTitle,
    `<h1>${escapeHtml(t.signInTitle)}</h1>
<p>${escapeHtml(t.signInIntro)}</p>
<form method="post" action="/dashboard/masuk" class="card">
<input type="hidden" name="t" value="${escapeHtml(token)}">${frame.lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
<button type="submit" autofocus>${escapeHtml(t.signIn)}</button>
</form>`,
  );
}

/** The sign-out button for the top bar. */
export function signOutButton(lang: Language): string {
  const t = dashboardTexts(lang);
  return `<form class="inline" method="post" action="/dashboard/keluar"><button type="submit">${escapeHtml(t.signOut)}</button></form>`;
}
