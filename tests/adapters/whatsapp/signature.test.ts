import { createHmac } from 'node:crypto';
import {
  sign,
  signatureMatcher,
  signedForms,
  tokenMatcher,
} from '../../../adapters/whatsapp/signature';

const SECRET = 'c0ffee-app-secret';
const hmac = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
const verify = signatureMatcher(SECRET);

describe('X-Hub-Signature-256', () => {
  const ascii = '{"object":"whatsapp_business_account","entry":[]}';

  test('an ASCII body signed with the app secret matches; another secret, body or header does not', () => {
    expect(verify(Buffer.from(ascii), hmac(ascii))).toBe(true);
    expect(
      verify(Buffer.from(ascii), hmac(ascii).toUpperCase().replace('SHA256=', 'sha256=')),
    ).toBe(true);
    expect(verify(Buffer.from(ascii), hmac(ascii, 'other-secret'))).toBe(false);
    expect(verify(Buffer.from(`${ascii} `), hmac(ascii))).toBe(false);
    expect(verify(Buffer.from(ascii), undefined)).toBe(false);
    expect(verify(Buffer.from(ascii), hmac(ascii).replace('sha256=', 'sha1='))).toBe(false);
    expect(verify(Buffer.from(ascii), 'sha256=abc')).toBe(false);
    expect(signatureMatcher('')(Buffer.from(ascii), hmac(ascii, ''))).toBe(false);
  });

  test('non-ASCII text: Meta sends the characters, but signs the body with them escaped (\\uXXXX)', () => {
    const sent = JSON.stringify({
      text: { body: 'Jalan rusak di Jl. Kenanga – tolong 🙏 segera, terima kasih…' },
      profile: { name: 'Siti Ñurhaliza' },
    });
    // What Meta signs: every UTF-16 code unit beyond ASCII as \u and four lower-case hex digits.
    const signedByMeta = sent
      .replace('–', '\\u2013')
      .replace('🙏', '\\ud83d\\ude4f')
      .replace('…', '\\u2026')
      .replace('Ñ', '\\u00d1');
    expect(/[\u0080-\uffff]/.test(signedByMeta)).toBe(false);
    const raw = Buffer.from(sent, 'utf8');
    expect(verify(raw, hmac(signedByMeta))).toBe(true);
    // The body as sent is accepted too (should Meta ever sign what it sends).
    expect(verify(raw, hmac(sent))).toBe(true);
    // The escaped form with upper-case hex is not what Meta signs.
    expect(verify(raw, hmac(signedByMeta.replace('\\u00d1', '\\u00D1')))).toBe(false);
    expect(sign(sent, SECRET)).toBe(hmac(signedByMeta));
  });

  test('the forms tried: the body, and the escaped form only when there is something to escape', () => {
    expect(signedForms(Buffer.from('{"a":"b"}')).map(String)).toEqual(['{"a":"b"}']);
    expect(signedForms(Buffer.from('{"a":"é"}')).map(String)).toEqual([
      '{"a":"é"}',
      '{"a":"\\u00e9"}',
    ]);
    expect(signedForms(Buffer.from('{"a":"\x7fé"}')).map(String)).toEqual([
      '{"a":"\x7fé"}',
      '{"a":"\x7f\\u00e9"}',
      '{"a":"\\u007f\\u00e9"}',
    ]);
  });
});

describe('the verify token', () => {
  test('matches only itself; an empty token matches nothing', () => {
    const matches = tokenMatcher('verify-token-42');
    expect(matches('verify-token-42')).toBe(true);
    expect(matches('verify-token-4')).toBe(false);
    expect(matches('')).toBe(false);
    expect(tokenMatcher('')('')).toBe(false);
  });
});
