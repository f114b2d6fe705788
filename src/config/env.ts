import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logger';

/** Where cases live: the embedded SQLite file (default), in-memory SQLite, or MongoDB. */
export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      url: string;
      poolMax: number;
      /** The schema of Suara's tables (default `public`; tests give each run its own). */
      schema?: string;
    }
  | { kind: 'mongodb'; url: string };

/** The validated configuration of a Suara process. */
export interface Config {
  port: number;
  database: DatabaseConfig;
  /** Agency directory (YAML). */
  agenciesFile: string;
  /** Deadline rules (YAML). */
  deadlinesFile: string;
  /** National holidays and cuti bersama (YAML). */
  holidaysFile: string;
  /** NLU data: training examples, slang, urgency phrases, knowledge base. */
  intentsDir: string;
  /** Where the trained intent/category model is kept (rebuilt when the data changes). */
  nluModelFile: string;
  /** A router trained from a deployment's history (`suara train-router`), if any. */
  routerModelFile: string | null;
  logLevel: LogLevel;
  /** Delivery of messages to citizens and staff. */
  outbox: OutboxConfig;
  /** Telegram channel for citizens; null when `TELEGRAM_BOT_TOKEN` is unset. */
  telegram: TelegramConfig | null;
  /** Slack workspace for agency staff; null when `SLACK_BOT_TOKEN` is unset. */
  slack: SlackConfig | null;
  /** Web chat (Direct Line 3.0 endpoint and widget); always on. */
  webchat: WebchatConfig;
  /**
   * Azure Bot Service (Bot Framework Activity protocol: Microsoft Teams, Azure's Web Chat…); null
   * unless `MICROSOFT_APP_ID` is set or `BOTFRAMEWORK_ANONYMOUS=true`.
   */
  botframework: BotFrameworkConfig | null;
  /** WhatsApp Business Cloud API channel for citizens; null when `WHATSAPP_ACCESS_TOKEN` is unset. */
  whatsapp: WhatsAppConfig | null;
  /**
   * Which peers are reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed
   * (express's `trust proxy`): `false` (none: the client is the peer), a hop count, or a list of
   * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.
   */
  trustProxy: TrustProxy;
  /**
   * This instance's name (`SUARA_INSTANCE_ID`, default the host name): it owns the work it
   * accepts, and after a restart it takes its own unfinished work back at once.
   */
  instanceId: string;
  /** Open311 `jurisdiction_id` (`OPEN311_JURISDICTION_ID`); null: the parameter is optional. */
  open311JurisdictionId: string | null;
  /** Public base URL of this service (`SUARA_PUBLIC_URL`, no trailing slash), for links to citizens. */
  publicUrl: string | null;
}

export interface OutboxConfig {
  /** A message not delivered this long after it was queued is dead-lettered. */
  giveUpAfterMs: number;
}

/** Express's `trust proxy` setting, as far as Suara lets it be configured. */
export type TrustProxy = false | number | string[];

export interface TelegramConfig {
  token: string;
  mode: 'webhook' | 'polling';
  /** Required in webhook mode: Telegram sends it in `X-Telegram-Bot-Api-Secret-Token`. */
  webhookSecret: string | null;
  /** Public base URL; when set, `setWebhook` is called at start-up with `<url>/telegram/webhook`. */
  webhookUrl: string | null;
  /** Bot API base URL (no trailing slash). */
  apiRoot: string;
}

/**
 * The Azure Bot registration Suara answers as. With `appId` null the channel runs anonymously (no
 * token checked or sent): only for the Bot Framework Emulator or the Agents Playground on a
 * developer's machine, never with `NODE_ENV=production`.
 */
export interface BotFrameworkConfig {
  /** The Azure Bot's Microsoft App ID (a GUID), or null in anonymous mode. */
  appId: string | null;
  /** Its client secret; null in anonymous mode. */
  appPassword: string | null;
  /** The Entra tenant of a single-tenant bot (GUID or domain); null for multi-tenant. */
  tenantId: string | null;
  appType: 'MultiTenant' | 'SingleTenant';
}

/**
 * The WhatsApp business phone number Suara answers on, through the WhatsApp Business Cloud API
 * (Meta's Graph API).
 */
export interface WhatsAppConfig {
  /** A system user's access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** The business phone number's id (WhatsApp Manager → API setup), not the number itself. */
  phoneNumberId: string;
  /** The Meta app's secret: Meta signs every webhook call with it (`X-Hub-Signature-256`). */
  appSecret: string;
  /** The token Meta must send when it verifies the webhook (`hub.verify_token`). */
  verifyToken: string;
  /** Graph API base URL with its pinned version, no trailing slash. */
  apiRoot: string;
  /**
   * The approved message template for notifications outside the 24-hour customer service
   * window (its body takes the tracking id as {{1}} and the status as {{2}}), and the languages
   * it is approved in (the first is the default); null: such notifications are undeliverable.
   */
  notifyTemplate: WhatsAppTemplate | null;
}

/** An approved WhatsApp message template: its name and the language codes it is approved in. */
export interface WhatsAppTemplate {
  name: string;
  /** Language codes as Meta names them (`id`, `en`, `en_US`…), the default first. */
  languages: string[];
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Web API base URL, ending with `/`. */
  apiUrl: string;
  /** Slash command name, with its leading `/`. */
  command: string;
  /** Local hour (service time zone) at which the daily deadline digest is posted. */
  digestHour: number;
  /** Language of what staff see in Slack. */
  language: 'id' | 'en';
}

export interface WebchatConfig {
  /** When set, `POST /v3/directline/tokens/generate` requires `Authorization: Bearer <secret>`. */
  directLineSecret: string | null;
  /** Origins allowed to get tokens without the secret (exact `scheme://host[:port]`). */
  allowedOrigins: string[];
  /** Key that signs conversation tokens; null: a key generated once and kept in the database. */
  tokenSecret: string | null;
  /** Rate limits (per minute) and socket limits. */
  limits: WebchatRateConfig;
}

/** The web chat's configurable rate limits. */
export interface WebchatRateConfig {
  /** New conversations (`tokens/generate`) per client address per minute. */
  newConversationsPerIpPerMin: number;
  /** Messages and uploads per client address per minute, over all its conversations. */
  messagesPerIpPerMin: number;
  /** Messages and uploads per conversation per minute. */
  messagesPerConversationPerMin: number;
  /** WebSockets open at once per client address. */
  socketsPerIp: number;
}

/**
 * Every environment variable Suara reads, with its default and what it expects. `.env.example`
 * and README.md list the same; a test keeps them in step.
 */
export const ENV_VARS = {
  PORT: { default: '3000', expects: 'an integer port from 1 to 65535' },
  DATABASE_URL: {
    default: 'sqlite:data/suara.db',
    expects:
      'sqlite:<file path>, sqlite::memory:, postgres://… / postgresql://… or mongodb://… / mongodb+srv://…',
  },
  DATABASE_POOL_MAX: {
    default: '10',
    expects: 'connections to PostgreSQL per instance, from 1 to 1000',
  },
  SUARA_AGENCIES: {
    default: 'intents/agencies.yaml',
    expects: 'a path to the agency directory YAML file',
  },
  SUARA_DEADLINES: {
    default: 'intents/deadlines.yaml',
    expects: 'a path to the deadline rules YAML file',
  },
  SUARA_HOLIDAYS: {
    default: 'intents/holidays.yaml',
    expects: 'a path to the holiday list YAML file',
  },
  SUARA_INTENTS: {
    default: 'intents',
    expects: 'a directory with training/, slang.tsv, urgency.yaml and knowledge/',
  },
  SUARA_NLU_MODEL: {
    default: 'data/nlu-model.json',
    expects: 'a file path for the trained NLU model',
  },
  SUARA_ROUTER_MODEL: { default: '', expects: 'a router model file made by `suara train-router`' },
  LOG_LEVEL: { default: 'info', expects: `one of ${LOG_LEVELS.join(', ')}` },
  OUTBOX_GIVE_UP_HOURS: {
    default: '24',
    expects: 'hours (1–720) a message is retried before it is dead-lettered',
  },
  TELEGRAM_BOT_TOKEN: {
    default: '',
    expects: 'a bot token from @BotFather (<digits>:<letters>); empty: no Telegram',
  },
  TELEGRAM_MODE: {
    default: '',
    expects: 'webhook or polling (empty: webhook when TELEGRAM_WEBHOOK_SECRET is set)',
  },
  TELEGRAM_WEBHOOK_SECRET: {
    default: '',
    expects: '1–256 characters of A-Z, a-z, 0-9, _ and -',
  },
  TELEGRAM_WEBHOOK_URL: {
    default: '',
    expects: 'the public https:// base URL of this service (setWebhook is called at start-up)',
  },
  TELEGRAM_API_ROOT: {
    default: 'https://api.telegram.org',
    expects: 'an http(s) URL of a Bot API server',
  },
  SLACK_BOT_TOKEN: { default: '', expects: 'a Slack bot token (xoxb-…); empty: no Slack' },
  SLACK_SIGNING_SECRET: {
    default: '',
    expects: "the Slack app's signing secret (required with SLACK_BOT_TOKEN)",
  },
  SLACK_API_URL: {
    default: 'https://slack.com/api/',
    expects: 'an http(s) URL of the Slack Web API',
  },
  SLACK_COMMAND: { default: '/suara', expects: 'a slash command name such as /suara' },
  SLACK_DIGEST_HOUR: {
    default: '8',
    expects: 'an hour from 0 to 23 (local time) for the daily deadline digest',
  },
  SLACK_LANGUAGE: { default: 'id', expects: 'id or en (language of what staff see in Slack)' },
  DIRECTLINE_SECRET: {
    default: '',
    expects: "a secret (16+ characters) your site's back end uses to get web chat tokens",
  },
  WEBCHAT_ALLOWED_ORIGINS: {
    default: '',
    expects: 'comma-separated origins such as https://kota.go.id allowed to open the web chat',
  },
  WEBCHAT_TOKEN_SECRET: {
    default: '',
    expects: 'a key (32+ characters) that signs web chat tokens (empty: kept in data/)',
  },
  WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: {
    default: '300',
    expects: 'a whole number from 1 to 1000000 (new web chat conversations per address a minute)',
  },
  WEBCHAT_MESSAGES_PER_IP_PER_MIN: {
    default: '1200',
    expects: 'a whole number from 1 to 1000000 (web chat messages per address a minute)',
  },
  WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN: {
    default: '20',
    expects: 'a whole number from 1 to 1000000 (messages per web chat conversation a minute)',
  },
  WEBCHAT_SOCKETS_PER_IP: {
    default: '1000',
    expects: 'a whole number from 1 to 1000000 (open web chat WebSockets per address)',
  },
  MICROSOFT_APP_ID: {
    default: '',
    expects: "the Azure Bot's Microsoft App ID (a GUID); empty: no Bot Framework channel",
  },
  MICROSOFT_APP_PASSWORD: {
    default: '',
    expects: "the App ID's client secret (required with MICROSOFT_APP_ID)",
  },
  MICROSOFT_APP_TENANT_ID: {
    default: '',
    expects: 'the Entra tenant id (a GUID or domain) of a SingleTenant bot',
  },
  MICROSOFT_APP_TYPE: {
    default: 'MultiTenant',
    expects: 'MultiTenant or SingleTenant (as registered in Azure)',
  },
  BOTFRAMEWORK_ANONYMOUS: {
    default: 'false',
    expects:
      'true to run the Bot Framework channel without an app id (Emulator, Agents Playground on localhost; never in production)',
  },
  WHATSAPP_ACCESS_TOKEN: {
    default: '',
    expects: 'a WhatsApp Cloud API access token (a system user token); empty: no WhatsApp',
  },
  WHATSAPP_PHONE_NUMBER_ID: {
    default: '',
    expects: 'the business phone number id from WhatsApp Manager, digits (required with the token)',
  },
  WHATSAPP_APP_SECRET: {
    default: '',
    expects: "the Meta app's secret, which signs webhook calls (required with the token)",
  },
  WHATSAPP_VERIFY_TOKEN: {
    default: '',
    expects:
      'a token of your choice, 8–256 characters without spaces, also given to Meta with the webhook URL (required with the token)',
  },
  WHATSAPP_API_ROOT: {
    default: 'https://graph.facebook.com/v26.0',
    expects: 'an http(s) URL of the Graph API, with its version',
  },
  WHATSAPP_NOTIFY_TEMPLATE: {
    default: '',
    expects:
      'an approved template as name:language[,language…], e.g. suara_status:id,en (empty: no notifications outside the 24-hour window)',
  },
  NODE_ENV: {
    default: '',
    expects: 'production on a real deployment (refuses the development-only modes)',
  },
  OPEN311_JURISDICTION_ID: {
    default: '',
    expects:
      'the Open311 jurisdiction_id of this service, e.g. kota-contoh.go.id (empty: jurisdiction_id optional)',
  },
  SUARA_PUBLIC_URL: {
    default: '',
    expects:
      'the public http(s) base URL of this service (links to the tracking page); empty: no links',
  },
  SUARA_INSTANCE_ID: {
    default: '',
    expects:
      'letters, digits, dot, dash, underscore or colon, at most 100 (default: the host name); stable across restarts of one instance',
  },
  TRUST_PROXY: {
    default: 'false',
    expects:
      'false, a hop count (1–32), or comma-separated proxy addresses, CIDR ranges (10.0.0.0/8) and loopback, linklocal, uniquelocal',
  },
} as const;

type VarName = keyof typeof ENV_VARS;

function withDefault(name: VarName) {
  // An empty value (e.g. `PORT=` in .env) means "use the default", like unset.
  return z.preprocess(
    (v) => (v === undefined || v === '' ? ENV_VARS[name].default : v),
    z.string(),
  );
}

function expected(name: VarName) {
  return { message: `expected ${ENV_VARS[name].expects}` };
}

function count(name: VarName) {
  return withDefault(name).pipe(
    z
      .string()
      .regex(/^\d{1,7}$/, expected(name))
      .transform(Number)
      .pipe(z.number().int().min(1, expected(name)).max(1_000_000, expected(name))),
  );
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of a TRUST_PROXY list: a name, an address, or an address with a prefix length. */
function proxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const schema = z.object({
  PORT: withDefault('PORT').pipe(
    z
      .string()
      .regex(/^\d+$/, expected('PORT'))
      .transform(Number)
      .pipe(z.number().int().min(1, expected('PORT')).max(65535, expected('PORT'))),
  ),
  DATABASE_URL: withDefault('DATABASE_URL').transform((url, ctx): DatabaseConfig => {
    if (url === 'sqlite::memory:') return { kind: 'sqlite', path: ':memory:' };
    const sqlite = /^sqlite:(?!\/\/)(.+)$/.exec(url) ?? /^sqlite:\/\/(.+)$/.exec(url);
    if (sqlite?.[1]) return { kind: 'sqlite', path: sqlite[1] };
    if (/^postgres(ql)?:\/\/[^/\s]+/.test(url)) return { kind: 'postgres', url, poolMax: 10 };
    if (/^mongodb(\+srv)?:\/\/[^/\s]+/.test(url)) return { kind: 'mongodb', url };
    ctx.addIssue({ code: 'custom', ...expected('DATABASE_URL') });
    return z.NEVER;
  }),
  DATABASE_POOL_MAX: withDefault('DATABASE_POOL_MAX').pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, expected('DATABASE_POOL_MAX'))
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1, expected('DATABASE_POOL_MAX'))
          .max(1000, expected('DATABASE_POOL_MAX')),
      ),
  ),
  SUARA_AGENCIES: withDefault('SUARA_AGENCIES'),
  SUARA_DEADLINES: withDefault('SUARA_DEADLINES'),
  SUARA_HOLIDAYS: withDefault('SUARA_HOLIDAYS'),
  SUARA_INTENTS: withDefault('SUARA_INTENTS'),
  SUARA_NLU_MODEL: withDefault('SUARA_NLU_MODEL'),
  SUARA_ROUTER_MODEL: withDefault('SUARA_ROUTER_MODEL'),
  LOG_LEVEL: withDefault('LOG_LEVEL').pipe(z.enum(LOG_LEVELS, expected('LOG_LEVEL'))),
  OUTBOX_GIVE_UP_HOURS: withDefault('OUTBOX_GIVE_UP_HOURS').pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, expected('OUTBOX_GIVE_UP_HOURS'))
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, expected('OUTBOX_GIVE_UP_HOURS'))
          .max(720, expected('OUTBOX_GIVE_UP_HOURS')),
      ),
  ),
  TELEGRAM_BOT_TOKEN: withDefault('TELEGRAM_BOT_TOKEN').pipe(
    z.string().regex(/^(\d+:[\w-]{20,})?$/, expected('TELEGRAM_BOT_TOKEN')),
  ),
  TELEGRAM_MODE: withDefault('TELEGRAM_MODE').pipe(
    z.enum(['', 'webhook', 'polling'], expected('TELEGRAM_MODE')),
  ),
  TELEGRAM_WEBHOOK_SECRET: withDefault('TELEGRAM_WEBHOOK_SECRET').pipe(
    z.string().regex(/^[A-Za-z0-9_-]{0,256}$/, expected('TELEGRAM_WEBHOOK_SECRET')),
  ),
  TELEGRAM_WEBHOOK_URL: withDefault('TELEGRAM_WEBHOOK_URL').pipe(
    z.string().regex(/^(https:\/\/[^\s/]+[^\s]*)?$/, expected('TELEGRAM_WEBHOOK_URL')),
  ),
  TELEGRAM_API_ROOT: withDefault('TELEGRAM_API_ROOT').pipe(
    z.string().regex(/^https?:\/\/[^\s/]+[^\s]*$/, expected('TELEGRAM_API_ROOT')),
  ),
  SLACK_BOT_TOKEN: withDefault('SLACK_BOT_TOKEN').pipe(
    z.string().regex(/^(xoxb-[\w-]+)?$/, expected('SLACK_BOT_TOKEN')),
  ),
  SLACK_SIGNING_SECRET: withDefault('SLACK_SIGNING_SECRET'),
  SLACK_API_URL: withDefault('SLACK_API_URL').pipe(
    z.string().regex(/^https?:\/\/[^\s/]+[^\s]*$/, expected('SLACK_API_URL')),
  ),
  SLACK_COMMAND: withDefault('SLACK_COMMAND').pipe(
    z.string().regex(/^\/[a-z0-9_-]{1,31}$/, expected('SLACK_COMMAND')),
  ),
  SLACK_DIGEST_HOUR: withDefault('SLACK_DIGEST_HOUR').pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, expected('SLACK_DIGEST_HOUR'))
      .transform(Number)
      .pipe(z.number().max(23, expected('SLACK_DIGEST_HOUR'))),
  ),
  SLACK_LANGUAGE: withDefault('SLACK_LANGUAGE').pipe(
    z.enum(['id', 'en'], expected('SLACK_LANGUAGE')),
  ),
  DIRECTLINE_SECRET: withDefault('DIRECTLINE_SECRET').pipe(
    z.string().regex(/^(\S{16,})?$/, expected('DIRECTLINE_SECRET')),
  ),
  WEBCHAT_ALLOWED_ORIGINS: withDefault('WEBCHAT_ALLOWED_ORIGINS').transform((value, ctx) => {
    const origins = value
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter((o) => o !== '');
    if (origins.some((o) => !/^https?:\/\/[^\s/]+$/.test(o))) {
      ctx.addIssue({ code: 'custom', ...expected('WEBCHAT_ALLOWED_ORIGINS') });
      return z.NEVER;
    }
    return origins;
  }),
  WEBCHAT_TOKEN_SECRET: withDefault('WEBCHAT_TOKEN_SECRET').pipe(
    z.string().regex(/^(\S{32,})?$/, expected('WEBCHAT_TOKEN_SECRET')),
  ),
  WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: count('WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN'),
  WEBCHAT_MESSAGES_PER_IP_PER_MIN: count('WEBCHAT_MESSAGES_PER_IP_PER_MIN'),
  WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN: count('WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN'),
  WEBCHAT_SOCKETS_PER_IP: count('WEBCHAT_SOCKETS_PER_IP'),
  MICROSOFT_APP_ID: withDefault('MICROSOFT_APP_ID').pipe(
    z
      .string()
      .regex(
        /^([0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})?$/,
        expected('MICROSOFT_APP_ID'),
      ),
  ),
  MICROSOFT_APP_PASSWORD: withDefault('MICROSOFT_APP_PASSWORD'),
  MICROSOFT_APP_TENANT_ID: withDefault('MICROSOFT_APP_TENANT_ID').pipe(
    z.string().regex(/^([A-Za-z0-9][A-Za-z0-9.-]{0,253})?$/, expected('MICROSOFT_APP_TENANT_ID')),
  ),
  MICROSOFT_APP_TYPE: withDefault('MICROSOFT_APP_TYPE').pipe(
    z.enum(['MultiTenant', 'SingleTenant'], expected('MICROSOFT_APP_TYPE')),
  ),
  BOTFRAMEWORK_ANONYMOUS: withDefault('BOTFRAMEWORK_ANONYMOUS').pipe(
    z.enum(['true', 'false'], expected('BOTFRAMEWORK_ANONYMOUS')).transform((v) => v === 'true'),
  ),
  WHATSAPP_ACCESS_TOKEN: withDefault('WHATSAPP_ACCESS_TOKEN').pipe(
    z.string().regex(/^(\S{16,4096})?$/, expected('WHATSAPP_ACCESS_TOKEN')),
  ),
  WHATSAPP_PHONE_NUMBER_ID: withDefault('WHATSAPP_PHONE_NUMBER_ID').pipe(
    z.string().regex(/^(\d{1,30})?$/, expected('WHATSAPP_PHONE_NUMBER_ID')),
  ),
  WHATSAPP_APP_SECRET: withDefault('WHATSAPP_APP_SECRET').pipe(
    z.string().regex(/^(\S{8,256})?$/, expected('WHATSAPP_APP_SECRET')),
  ),
  WHATSAPP_VERIFY_TOKEN: withDefault('WHATSAPP_VERIFY_TOKEN').pipe(
    z.string().regex(/^(\S{8,256})?$/, expected('WHATSAPP_VERIFY_TOKEN')),
  ),
  WHATSAPP_API_ROOT: withDefault('WHATSAPP_API_ROOT').pipe(
    z.string().regex(/^https?:\/\/[^\s/]+[^\s?#]*$/, expected('WHATSAPP_API_ROOT')),
  ),
  WHATSAPP_NOTIFY_TEMPLATE: withDefault('WHATSAPP_NOTIFY_TEMPLATE').transform(
    (value, ctx): WhatsAppTemplate | null => {
      const v = value.trim();
      if (v === '') return null;
      // Template names: lower-case letters, digits and underscores; languages as Meta names them.
      const m =
        /^([a-z0-9_]{1,512}):([a-z]{2,3}(?:_[A-Z]{2})?(?:,[a-z]{2,3}(?:_[A-Z]{2})?)*)$/.exec(
          v.replace(/\s+/g, ''),
        );
      if (!m?.[1] || !m[2]) {
        ctx.addIssue({ code: 'custom', ...expected('WHATSAPP_NOTIFY_TEMPLATE') });
        return z.NEVER;
      }
      return { name: m[1], languages: [...new Set(m[2].split(','))] };
    },
  ),
  NODE_ENV: withDefault('NODE_ENV'),
  OPEN311_JURISDICTION_ID: withDefault('OPEN311_JURISDICTION_ID').pipe(
    z.string().regex(/^([A-Za-z0-9._-]{1,100})?$/, expected('OPEN311_JURISDICTION_ID')),
  ),
  SUARA_PUBLIC_URL: withDefault('SUARA_PUBLIC_URL').pipe(
    z.string().regex(/^(https?:\/\/[^\s/?#]+[^\s?#]*)?$/, expected('SUARA_PUBLIC_URL')),
  ),
  SUARA_INSTANCE_ID: withDefault('SUARA_INSTANCE_ID').pipe(
    z.string().regex(/^([A-Za-z0-9._:-]{1,100})?$/, expected('SUARA_INSTANCE_ID')),
  ),
  // Never `true`: that believes any client's X-Forwarded-For, so anyone could pick their address.
  TRUST_PROXY: withDefault('TRUST_PROXY').transform((value, ctx): TrustProxy => {
    const v = value.trim();
    if (v === 'false' || v === '0') return false;
    if (/^\d{1,2}$/.test(v) && Number(v) <= 32) return Number(v);
    const entries = v.split(',').map((e) => e.trim());
    if (entries.every(proxyEntry)) return entries;
    ctx.addIssue({ code: 'custom', ...expected('TRUST_PROXY') });
    return z.NEVER;
  }),
});

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY/;

/** Shows a value in an error line, hiding secrets and the password in a database URL. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return '(unset)';
  if (SECRET_NAME.test(name)) return '(hidden)';
  const text = String(value).replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
  return JSON.stringify(text);
}

/**
 * Reads and validates the configuration from an environment (`process.env` at the edge, a plain
 * object in tests). Returns the config, or one line per problem: variable, value, what is expected.
 *
 * @example
 * const r = loadConfig({ PORT: 'abc' });
 * // r.ok === false; r.errors[0] === 'PORT="abc": expected an integer port from 1 to 65535'
 */
export function loadConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: Config } | { ok: false; errors: string[] } {
  const r = schema.safeParse(env);
  if (!r.success) {
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const issue of r.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (seen.has(name)) continue;
      seen.add(name);
      errors.push(`${name}=${shown(name, env[name])}: ${issue.message}`);
    }
    return { ok: false, errors };
  }
  const d = r.data;
  const errors = crossChecks(d, env);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      port: d.PORT,
      database:
        d.DATABASE_URL.kind === 'postgres'
          ? { ...d.DATABASE_URL, poolMax: d.DATABASE_POOL_MAX }
          : d.DATABASE_URL,
      agenciesFile: d.SUARA_AGENCIES,
      deadlinesFile: d.SUARA_DEADLINES,
      holidaysFile: d.SUARA_HOLIDAYS,
      intentsDir: d.SUARA_INTENTS,
      nluModelFile: d.SUARA_NLU_MODEL,
      routerModelFile: d.SUARA_ROUTER_MODEL || null,
      logLevel: d.LOG_LEVEL,
      outbox: { giveUpAfterMs: Math.round(d.OUTBOX_GIVE_UP_HOURS * 3600_000) },
      telegram: d.TELEGRAM_BOT_TOKEN
        ? {
            token: d.TELEGRAM_BOT_TOKEN,
            mode: d.TELEGRAM_MODE || (d.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling'),
            webhookSecret: d.TELEGRAM_WEBHOOK_SECRET || null,
            webhookUrl: d.TELEGRAM_WEBHOOK_URL.replace(/\/+$/, '') || null,
            apiRoot: d.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          }
        : null,
      slack: d.SLACK_BOT_TOKEN
        ? {
            botToken: d.SLACK_BOT_TOKEN,
            signingSecret: d.SLACK_SIGNING_SECRET,
            apiUrl: d.SLACK_API_URL.endsWith('/') ? d.SLACK_API_URL : `${d.SLACK_API_URL}/`,
            command: d.SLACK_COMMAND,
            digestHour: d.SLACK_DIGEST_HOUR,
            language: d.SLACK_LANGUAGE,
          }
        : null,
      webchat: {
        directLineSecret: d.DIRECTLINE_SECRET || null,
        allowedOrigins: d.WEBCHAT_ALLOWED_ORIGINS,
        tokenSecret: d.WEBCHAT_TOKEN_SECRET || null,
        limits: {
          newConversationsPerIpPerMin: d.WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN,
          messagesPerIpPerMin: d.WEBCHAT_MESSAGES_PER_IP_PER_MIN,
          messagesPerConversationPerMin: d.WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN,
          socketsPerIp: d.WEBCHAT_SOCKETS_PER_IP,
        },
      },
      botframework: d.MICROSOFT_APP_ID
        ? {
            appId: d.MICROSOFT_APP_ID.toLowerCase(),
            appPassword: d.MICROSOFT_APP_PASSWORD,
            tenantId: d.MICROSOFT_APP_TENANT_ID || null,
            appType: d.MICROSOFT_APP_TYPE,
          }
        : d.BOTFRAMEWORK_ANONYMOUS
          ? { appId: null, appPassword: null, tenantId: null, appType: d.MICROSOFT_APP_TYPE }
          : null,
      whatsapp: d.WHATSAPP_ACCESS_TOKEN
        ? {
            accessToken: d.WHATSAPP_ACCESS_TOKEN,
            phoneNumberId: d.WHATSAPP_PHONE_NUMBER_ID,
            appSecret: d.WHATSAPP_APP_SECRET,
            verifyToken: d.WHATSAPP_VERIFY_TOKEN,
            apiRoot: d.WHATSAPP_API_ROOT.replace(/\/+$/, ''),
            notifyTemplate: d.WHATSAPP_NOTIFY_TEMPLATE,
          }
        : null,
      open311JurisdictionId: d.OPEN311_JURISDICTION_ID || null,
      publicUrl: d.SUARA_PUBLIC_URL.replace(/\/+$/, '') || null,
      trustProxy: d.TRUST_PROXY,
      instanceId: d.SUARA_INSTANCE_ID || hostname().slice(0, 100) || 'suara',
    },
  };
}

/** Rules that span variables: a channel's settings only make sense together. */
function crossChecks(d: z.infer<typeof schema>, env: Record<string, string | undefined>): string[] {
  const errors: string[] = [];
  const problem = (name: VarName, message: string) =>
    errors.push(`${name}=${shown(name, env[name])}: ${message}`);
  if (d.TELEGRAM_BOT_TOKEN && d.TELEGRAM_MODE === 'webhook' && !d.TELEGRAM_WEBHOOK_SECRET) {
    problem('TELEGRAM_WEBHOOK_SECRET', 'required when TELEGRAM_MODE=webhook');
  }
  if (d.TELEGRAM_BOT_TOKEN && d.TELEGRAM_MODE === 'polling' && d.TELEGRAM_WEBHOOK_URL) {
    problem('TELEGRAM_WEBHOOK_URL', 'must be empty when TELEGRAM_MODE=polling');
  }
  if (d.TELEGRAM_WEBHOOK_URL && !d.TELEGRAM_WEBHOOK_SECRET) {
    problem('TELEGRAM_WEBHOOK_SECRET', 'required when TELEGRAM_WEBHOOK_URL is set');
  }
  if (d.DATABASE_URL.kind === 'postgres' && !d.WEBCHAT_TOKEN_SECRET) {
    // Several instances share one database: each must verify the tokens the others issued.
    problem('WEBCHAT_TOKEN_SECRET', 'required with PostgreSQL (the same key on every instance)');
  }
  if (d.MICROSOFT_APP_ID && !d.MICROSOFT_APP_PASSWORD) {
    problem('MICROSOFT_APP_PASSWORD', 'required when MICROSOFT_APP_ID is set');
  }
  if (d.MICROSOFT_APP_TYPE === 'SingleTenant' && d.MICROSOFT_APP_ID && !d.MICROSOFT_APP_TENANT_ID) {
    problem('MICROSOFT_APP_TENANT_ID', 'required when MICROSOFT_APP_TYPE=SingleTenant');
  }
  if (d.BOTFRAMEWORK_ANONYMOUS && d.MICROSOFT_APP_ID) {
    problem('BOTFRAMEWORK_ANONYMOUS', 'must not be true when MICROSOFT_APP_ID is set');
  }
  if (d.BOTFRAMEWORK_ANONYMOUS && d.NODE_ENV === 'production') {
    // Anyone could post activities as any user, and make Suara post to any service URL.
    problem(
      'BOTFRAMEWORK_ANONYMOUS',
      'never allowed with NODE_ENV=production: set MICROSOFT_APP_ID',
    );
  }
  if (d.WHATSAPP_ACCESS_TOKEN) {
    for (const name of [
      'WHATSAPP_PHONE_NUMBER_ID',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
    ] as const) {
      if (!d[name]) problem(name, 'required when WHATSAPP_ACCESS_TOKEN is set');
    }
  }
  if (d.SLACK_BOT_TOKEN && !d.SLACK_SIGNING_SECRET) {
    problem('SLACK_SIGNING_SECRET', 'required when SLACK_BOT_TOKEN is set');
  }
  return errors;
}
