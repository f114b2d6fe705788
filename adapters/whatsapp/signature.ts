import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** The header in which Meta sends `sha256=<hex HMAC of the body with the app secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * The forms of a webhook body Meta may have signed. Meta sends the body with its characters as
 * they are (UTF-8), but computes the signature over the body with every character beyond ASCII
 * escaped the way its JSON encoder writes them (`\u00e9`; one `\uXXXX` per UTF-16 code unit, so
 * an emoji is two; lower-case hex). So the body as received is tried, and, when it holds such
 * characters, that escaped form. (Whether DEL, 0x7F, is escaped too is not documented: a body
 * holding one is tried both ways.)
 *
 * @example
 * signedForms(Buffer.from('{"t":"é"}')).map(String) // ['{"t":"é"}', '{"t":"\\u00e9"}']
 */
export function signedForms(raw: Buffer): Buffer[] {
  const forms = [raw];
  if (raw.every((byte) => byte < 0x7f)) return forms;
  const text = raw.toString('utf8');
  forms.push(Buffer.from(escapeFrom(text, 0x80), 'latin1'));
  if (raw.includes(0x7f)) forms.push(Buffer.from(escapeFrom(text, 0x7f), 'latin1'));
  return forms;
}

/** Every UTF-16 code unit from `first` up as `\uXXXX` (the result is plain ASCII). */
function escapeFrom(text: string, first: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out += unit >= first ? `\\u${unit.toString(16).padStart(4, '0')}` : text[i];
  }
  return out;
}

/**
 * A check of `X-Hub-Signature-256` against the raw body: true when the header is
 * `sha256=<64 hex digits>` and equals the HMAC-SHA256 of one of the body's {@link signedForms}
 * with the app secret, compared in constant time (every form is computed and compared, so the
 * time taken does not tell which one matched, or how much of one did).
 *
 * @example
 * const verify = signatureMatcher('app-secret');
 * verify(rawBody, req.get('x-hub-signature-256')) // true or false
 */
export function signatureMatcher(
  appSecret: string,
): (raw: Buffer, header: string | undefined) => boolean {
  return (raw, header) => {
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '');
    if (!match?.[1] || appSecret === '') return false;
    // Hashed once more, so both sides are 32 bytes whatever was given.
    const given = hash('sha256', Buffer.from(match[1].toLowerCase(), 'hex'), 'buffer');
    let ok = false;
    for (const form of signedForms(raw)) {
      const expected = createHmac('sha256', appSecret).update(form).digest();
      ok = timingSafeEqual(hash('sha256', expected, 'buffer'), given) || ok;
    }
    return ok;
  };
}

/**
 * The signature Meta would send for `body` (for tests and tools): over the escaped form.
 *
 * @example
 * sign('{"t":"é"}', 'secret') // 'sha256=…' (the HMAC of '{"t":"\\u00e9"}')
 */
export function sign(body: string | Buffer, appSecret: string): string {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const form = signedForms(raw)[1] ?? raw;
  return `sha256=${createHmac('sha256', appSecret).update(form).digest('hex')}`;
}

/**
 * A check of the verify token: true when `given` equals `token`, in constant time (both hashed to
 * 32 bytes first, so neither content nor length shows in the time taken). No token matches nothing.
 *
 * @example
 * tokenMatcher('s3cret-token')('s3cret-token') // true
 */
export function tokenMatcher(token: string): (given: string) => boolean {
  if (token === '') return () => false;
  const expected = hash('sha256', token, 'buffer');
  return (given) => timingSafeEqual(hash('sha256', given, 'buffer'), expected);
}
