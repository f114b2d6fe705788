/**
 * The HTML pages Suara serves itself (the tracking page, the statistics page, the supervisor
 * view): one document shell, and escaping for every value put into markup.
 */

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** One page: its texts (already in the page's language) and parts (HTML, already escaped). */
export interface HtmlDocument {
  lang: string;
  title: string;
  /** The site's name: in the title and the header. */
  site: string;
  skipToContent: string;
  /** The same page in the other language: its address, language and link text. */
  other: { href: string; lang: string; label: string; name: string };
  /** The inline style sheet (allowed by its hash in the page's CSP). */
  css: string;
  /** The main region's HTML. */
  main: string;
  /** The footer's text. */
  footer: string;
  /** `<meta name="referrer">`. */
  referrer: 'no-referrer' | 'same-origin';
  /** Not to be indexed by search engines. */
  noindex?: boolean;
  /** An empty icon, so the browser asks for no favicon (the CSP must allow `img-src data:`). */
  emptyIcon?: boolean;
  /** More HTML in the top bar before the language link (a sign-out button…). */
  bar?: string;
  /** Script addresses (same origin), loaded at the end of the body. */
  scripts?: string[];
}

/**
 * The whole document: a skip link, the header, a bar with the language link, `<main>`, the
 * footer, the scripts.
 *
 * @example
 * res.type('html').send(htmlDocument({ lang: 'id', title: 'Lacak laporan', site: 'Suara', … }));
 */
export function htmlDocument(d: HtmlDocument): string {
  const scripts = (d.scripts ?? []).map((src) => `\n<script src="${escapeHtml(src)}"></script>`);
  return `<!doctype html>
<html lang="${escapeHtml(d.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${d.noindex ? '\n<meta name="robots" content="noindex, nofollow">' : ''}
<meta name="referrer" content="${d.referrer}">${d.emptyIcon ? '\n<link rel="icon" href="data:,">' : ''}
<title>${escapeHtml(d.title)} · ${escapeHtml(d.site)}</title>
<style>${d.css}</style>
</head>
<body>
<a class="skip" href="#main">${escapeHtml(d.skipToContent)}</a>
<header><p>${escapeHtml(d.site)}</p></header>
<div class="bar">${d.bar ?? ''}<a href="${escapeHtml(d.other.href)}" hreflang="${escapeHtml(d.other.lang)}" lang="${escapeHtml(d.other.lang)}" aria-label="${escapeHtml(d.other.label)}">${escapeHtml(d.other.name)}</a></div>
<main id="main" tabindex="-1">
${d.main}
</main>
<footer><p>${escapeHtml(d.footer)}</p></footer>${scripts.join('')}
</body>
</html>
`;
}
