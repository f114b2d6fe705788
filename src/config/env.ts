import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logger';

/** Where cases live: the embedded SQLite file (default), in-memory SQLite, or MongoDB. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; url: string };

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
}

/**
 * Every environment variable Suara reads, with its default and what it expects. `.env.example`
 * and README.md list the same; a test keeps them in step.
 */
export const ENV_VARS = {
  PORT: { default: '3000', expects: 'an integer port from 1 to 65535' },
  DATABASE_URL: {
    default: 'sqlite:data/suara.db',
    expects: 'sqlite:<file path>, sqlite::memory: or mongodb://… / mongodb+srv://…',
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
    if (/^mongodb(\+srv)?:\/\/[^/\s]+/.test(url)) return { kind: 'mongodb', url };
    ctx.addIssue({ code: 'custom', ...expected('DATABASE_URL') });
    return z.NEVER;
  }),
  SUARA_AGENCIES: withDefault('SUARA_AGENCIES'),
  SUARA_DEADLINES: withDefault('SUARA_DEADLINES'),
  SUARA_HOLIDAYS: withDefault('SUARA_HOLIDAYS'),
  SUARA_INTENTS: withDefault('SUARA_INTENTS'),
  SUARA_NLU_MODEL: withDefault('SUARA_NLU_MODEL'),
  SUARA_ROUTER_MODEL: withDefault('SUARA_ROUTER_MODEL'),
  LOG_LEVEL: withDefault('LOG_LEVEL').pipe(z.enum(LOG_LEVELS, expected('LOG_LEVEL'))),
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
  return {
    ok: true,
    config: {
      port: d.PORT,
      database: d.DATABASE_URL,
      agenciesFile: d.SUARA_AGENCIES,
      deadlinesFile: d.SUARA_DEADLINES,
      holidaysFile: d.SUARA_HOLIDAYS,
      intentsDir: d.SUARA_INTENTS,
      nluModelFile: d.SUARA_NLU_MODEL,
      routerModelFile: d.SUARA_ROUTER_MODEL || null,
      logLevel: d.LOG_LEVEL,
    },
  };
}
