/**
 * A tiny XML writer for the GeoReport v2 answers: schemaless, no namespace, UTF-8, the way the
 * specification's examples look. Values follow the Spark convention the specification uses to map
 * its XML to JSON: an object is an element per key, an array an element per item (named by
 * {@link ITEM_NAMES}), `null` an empty element, booleans and numbers their text.
 */

/** A value that can be written: what the JSON answer holds. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [key: string]: XmlValue;
}

/** The element name of one item of a list element (`<services><service>…`). */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Text fit for XML 1.0 character data: `&`, `<`, `>`, `"` and `'` escaped, and the characters
 * XML 1.0 cannot hold at all (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF;
 * lone surrogates) dropped, so whatever a case text holds the document stays well-formed.
 *
 * @example
 * escapeXml('a < b & "c"\u0000') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function element(name: string, value: XmlValue, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`xml: not an element name: ${JSON.stringify(name)}`);
  if (value === undefined) return;
  if (value === null || value === '') {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`xml: no item name for the list ${name}`);
    out.push(`<${name}>`);
    for (const v of value) element(item, v, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [key, v] of Object.entries(value)) element(key, v, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/**
 * A whole document: the XML declaration and one root element holding `value`. Keys become
 * elements in their order; `undefined` leaves an element out.
 *
 * @example
 * xmlDocument('errors', [{ code: 404, description: 'not found' }])
 * // '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>404</code>…</error></errors>\n'
 */
export function xmlDocument(root: string, value: XmlValue): string {
  const out: string[] = [];
  element(root, value, out);
  return `<?xml version="1.0" encoding="utf-8"?>\n${out.join('')}\n`;
}
