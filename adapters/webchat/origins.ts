/**
 * Whether a browser origin may use the web chat: no Origin (not a browser page), localhost, the
 * configured `WEBCHAT_ALLOWED_ORIGINS`, or the service's own host (the demo page, the widget on
 * the same site).
 *
 * @example
 * originAllowed('https://kota.go.id', 'chat.kota.go.id', ['https://kota.go.id']); // true
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" (sandboxed frames, file://)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const hostname = url.hostname.toLowerCase();
  if (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]'
  ) {
    return true;
  }
  if (allowed.some((a) => normalOrigin(a) === url.origin)) return true;
  return host !== undefined && url.host === host.toLowerCase();
}

function normalOrigin(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}
