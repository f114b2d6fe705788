import { parseArgs } from 'node:util';
import {
  API_KEYS_SCOPE,
  API_SCOPES,
  type ApiKeyKind,
  ApiKeys,
  type ApiScope,
} from '../apikeys/store';

export { API_KEYS_SCOPE };

import { loadDomainFiles } from '../config/files';
import { config, withBackend } from './common';
import { type Command, EXIT_USAGE } from './io';

const USAGE = [
  'suara api-key create --name NAME --open311',
  'suara api-key create --name NAME --agency ID[,ID…] --scope cases:read[,cases:write]',
  'suara api-key list',
  'suara api-key revoke ID',
].join('\n       ');

/**
 * `suara api-key`: create a key for an Open311 client app, or for an agency's own system on the
 * staff API (scoped to agencies and to reading or also acting on cases); list keys (never the
 * keys themselves, which are shown once and kept hashed); revoke one by its id.
 */
export const apiKeyCommand: Command = {
  summary: 'create, list and revoke API keys (Open311 clients, the staff API)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    const usage = (message: string) => {
      io.stderr(`suara api-key: ${message}\nusage: ${USAGE}\n`);
      return EXIT_USAGE;
    };
    if (sub === 'list') {
      return withBackend(io, async (backend) => {
        const keys = new ApiKeys(backend.channelStore.scope(API_KEYS_SCOPE), () => new Date());
        for (const k of await keys.list()) {
          const { hash: _hash, ...shown } = k;
          io.stdout(`${JSON.stringify(shown)}\n`);
        }
        return 0;
      });
    }
    if (sub === 'revoke') {
      const id = rest[0];
      if (!id || rest.length !== 1) return usage('revoke takes one key id');
      return withBackend(io, async (backend) => {
        const keys = new ApiKeys(backend.channelStore.scope(API_KEYS_SCOPE), () => new Date());
        if (!(await keys.revoke(id))) {
          io.stderr(`suara api-key: no key with id ${JSON.stringify(id.slice(0, 40))}\n`);
          return 1;
        }
        io.stdout(`${JSON.stringify({ revoked: id })}\n`);
        return 0;
      });
    }
    if (sub !== 'create') return usage('expected create, list or revoke');
    let values: { name?: string; open311?: boolean; agency?: string; scope?: string };
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          open311: { type: 'boolean' },
          agency: { type: 'string' },
          scope: { type: 'string' },
        },
        strict: true,
      }));
    } catch (err) {
      return usage((err as Error).message);
    }
    const name = values.name?.trim() ?? '';
    if (name.length < 1 || name.length > 100) return usage('--name (1–100 characters) is required');
    const kind: ApiKeyKind = values.open311 ? 'open311' : 'staff';
    const list = (v: string | undefined) =>
      (v ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const agencies = list(values.agency);
    const scopes = list(values.scope);
    if (kind === 'open311' && (agencies.length > 0 || scopes.length > 0)) {
      return usage('an --open311 key takes no --agency or --scope');
    }
    if (kind === 'staff') {
      if (agencies.length === 0) return usage('--agency is required for a staff API key');
      if (
        scopes.length === 0 ||
        scopes.some((s) => !(API_SCOPES as readonly string[]).includes(s))
      ) {
        return usage(`--scope must be one or more of ${API_SCOPES.join(', ')}`);
      }
      const directory = loadDomainFiles(config(io)).directory;
      const unknown = agencies.filter((a) => !directory.agencies.some((x) => x.id === a));
      if (unknown.length > 0) return usage(`unknown agency: ${unknown.join(', ')}`);
    }
    return withBackend(io, async (backend) => {
      const keys = new ApiKeys(backend.channelStore.scope(API_KEYS_SCOPE), () => new Date());
      const { key, record } = await keys.create({
        name,
        kind,
        agencies,
        scopes: scopes as ApiScope[],
      });
      io.stdout(`${JSON.stringify({ id: record.id, kind, name, agencies, scopes, key })}\n`);
      io.stderr('suara api-key: the key is shown once; keep it secret (it is stored hashed)\n');
      return 0;
    });
  },
};
