import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An RSA key of the test's own, with the id it is published under. */
export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/**
 * A local Entra-like key endpoint on 127.0.0.1: `GET /<tenant>/discovery/v2.0/keys` answers the
 * published keys as a JWKS. The SDK fetches it when a token's issuer is the authority it was
 * given (`<url>/<tenant>/v2.0`).
 */
export class LocalJwks {
  private server: Server | undefined;
  url = '';
  fetches = 0;

  constructor(
    readonly tenant: string,
    private readonly keys: TestKey[],
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url !== `/${this.tenant}/discovery/v2.0/keys`) {
        res.writeHead(404).end();
        return;
      }
      this.fetches++;
      const keys = this.keys.map((k) => ({
        ...k.publicKey.export({ format: 'jwk' }),
        kid: k.kid,
        use: 'sig',
        alg: 'RS256',
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The authority to give the SDK, and the issuer of the tokens it accepts. */
  get authority(): string {
    return `${this.url}/${this.tenant}`;
  }
  get issuer(): string {
    return `${this.authority}/v2.0`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** An RS256 JWT with `claims`, signed with `key` (its `kid` in the header). */
export function signJwt(key: TestKey, claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${part(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.privateKey, 'base64url');
  return `${unsigned}.${signature}`;
}
