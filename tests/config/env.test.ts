import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ENV_VARS, loadConfig } from '../../src/config/env';

const root = join(__dirname, '..', '..');

describe('loadConfig', () => {
  test('no variables at all gives the embedded defaults', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      config: {
        port: 3000,
        database: { kind: 'sqlite', path: 'data/suara.db' },
        agenciesFile: 'intents/agencies.yaml',
        deadlinesFile: 'intents/deadlines.yaml',
        holidaysFile: 'intents/holidays.yaml',
        intentsDir: 'intents',
        nluModelFile: 'data/nlu-model.json',
        routerModelFile: null,
        logLevel: 'info',
        outbox: { giveUpAfterMs: 24 * 3600_000 },
        telegram: null,
        slack: null,
        botframework: null,
        whatsapp: null,
        open311JurisdictionId: null,
        publicUrl: null,
        webchat: {
          directLineSecret: null,
          allowedOrigins: [],
          tokenSecret: null,
          limits: {
            newConversationsPerIpPerMin: 300,
            messagesPerIpPerMin: 1200,
            messagesPerConversationPerMin: 20,
            socketsPerIp: 1000,
          },
        },
        trustProxy: false,
        instanceId: hostname().slice(0, 100),
      },
    });
  });

  test('SUARA_INSTANCE_ID: a name, or the host name; anything else is refused', () => {
    const ok = loadConfig({ SUARA_INSTANCE_ID: 'suara-2.jakarta:8080' });
    expect(ok.ok && ok.config.instanceId).toBe('suara-2.jakarta:8080');
    const bad = loadConfig({ SUARA_INSTANCE_ID: 'two words' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/SUARA_INSTANCE_ID/);
  });

  test('TRUST_PROXY: false, a hop count, or proxy addresses, ranges and names; never true', () => {
    const trust = (v: string) => {
      const r = loadConfig({ TRUST_PROXY: v });
      return r.ok ? r.config.trustProxy : r.errors;
    };
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('loopback')).toEqual(['loopback']);
    expect(trust('loopback, 10.0.0.0/8,2001:db8::/32 ,192.0.2.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '2001:db8::/32',
      '192.0.2.7',
    ]);
    for (const bad of [
      'true',
      'yes',
      '10.0.0.0/33',
      '10.0.0/8',
      '2001:db8::/129',
      'loopback,',
      '99',
    ]) {
      expect(trust(bad)).toEqual([
        expect.stringMatching(/^TRUST_PROXY=".*": expected false, a hop count/),
      ]);
    }
  });

  test('WEBCHAT_* limits are whole numbers from 1', () => {
    const r = loadConfig({
      WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: '1000',
      WEBCHAT_MESSAGES_PER_IP_PER_MIN: '5000',
      WEBCHAT_MESSAGES_PER_CONVERSATION_PER_MIN: '10',
      WEBCHAT_SOCKETS_PER_IP: '50',
    });
    expect(r.ok && r.config.webchat.limits).toEqual({
      newConversationsPerIpPerMin: 1000,
      messagesPerIpPerMin: 5000,
      messagesPerConversationPerMin: 10,
      socketsPerIp: 50,
    });
    for (const bad of ['0', '-1', '1.5', 'many', '10000000']) {
      const refused = loadConfig({ WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN: bad });
      expect(!refused.ok && refused.errors).toEqual([
        expect.stringMatching(
          /^WEBCHAT_NEW_CONVERSATIONS_PER_IP_PER_MIN=".*": expected a whole number/,
        ),
      ]);
    }
  });

  describe('channels', () => {
    const token = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ-12345';

    test('Telegram: polling by default, webhook when a secret is set', () => {
      const polling = loadConfig({ TELEGRAM_BOT_TOKEN: token });
      expect(polling.ok && polling.config.telegram).toEqual({
        token,
        mode: 'polling',
        webhookSecret: null,
        webhookUrl: null,
        apiRoot: 'https://api.telegram.org',
      });
      const webhook = loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_WEBHOOK_SECRET: 's3cret_ok-1',
        TELEGRAM_WEBHOOK_URL: 'https://suara.kota.go.id/',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      });
      expect(webhook.ok && webhook.config.telegram).toMatchObject({
        mode: 'webhook',
        webhookUrl: 'https://suara.kota.go.id',
        apiRoot: 'http://127.0.0.1:8081',
      });
    });

    test('Telegram settings that do not fit together are refused, secrets hidden', () => {
      const r = loadConfig({
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_URL: 'https://suara.kota.go.id',
      });
      expect(!r.ok && r.errors).toEqual([
        'TELEGRAM_WEBHOOK_SECRET=(unset): required when TELEGRAM_MODE=webhook',
        'TELEGRAM_WEBHOOK_SECRET=(unset): required when TELEGRAM_WEBHOOK_URL is set',
      ]);
      const bad = loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token', TELEGRAM_MODE: 'push' });
      expect(!bad.ok && bad.errors.map((e) => e.split(':')[0])).toEqual([
        'TELEGRAM_BOT_TOKEN=(hidden)',
        'TELEGRAM_MODE="push"',
      ]);
      expect(JSON.stringify(bad)).not.toContain('not-a-token');
    });

    test('Slack needs its signing secret; the API URL gets its trailing slash', () => {
      expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual({
        ok: false,
        errors: ['SLACK_SIGNING_SECRET=(unset): required when SLACK_BOT_TOKEN is set'],
      });
      const r = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_SIGNING_SECRET: 'abc123',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
      });
      expect(r.ok && r.config.slack).toEqual({
        botToken: 'xoxb-1-2-abc',
        signingSecret: 'abc123',
        apiUrl: 'http://127.0.0.1:9999/api/',
        command: '/suara',
        digestHour: 8,
        language: 'id',
      });
      expect(loadConfig({ SLACK_DIGEST_HOUR: '24' }).ok).toBe(false);
      expect(loadConfig({ SLACK_COMMAND: 'suara' }).ok).toBe(false);
    });

    test('web chat origins are a clean list; a bad origin is refused', () => {
      const r = loadConfig({
        WEBCHAT_ALLOWED_ORIGINS: ' https://kota.go.id/ ,http://localhost:8080,',
      });
      expect(r.ok && r.config.webchat.allowedOrigins).toEqual([
        'https://kota.go.id',
        'http://localhost:8080',
      ]);
      expect(loadConfig({ WEBCHAT_ALLOWED_ORIGINS: 'kota.go.id' }).ok).toBe(false);
      expect(loadConfig({ DIRECTLINE_SECRET: 'short' }).ok).toBe(false);
      expect(loadConfig({ WEBCHAT_TOKEN_SECRET: 'short' }).ok).toBe(false);
    });
  });

  test('empty values mean the default', () => {
    const r = loadConfig({ PORT: '', LOG_LEVEL: '' });
    expect(r.ok && [r.config.port, r.config.logLevel]).toEqual([3000, 'info']);
  });

  test.each([
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['sqlite:/var/lib/suara/suara.db', { kind: 'sqlite', path: '/var/lib/suara/suara.db' }],
    ['sqlite:./db/x.db', { kind: 'sqlite', path: './db/x.db' }],
    [
      'mongodb://db1:27017,db2:27017/suara?replicaSet=rs0',
      { kind: 'mongodb', url: 'mongodb://db1:27017,db2:27017/suara?replicaSet=rs0' },
    ],
    [
      'mongodb+srv://cluster.example.org/suara',
      { kind: 'mongodb', url: 'mongodb+srv://cluster.example.org/suara' },
    ],
  ])('DATABASE_URL=%s', (url, database) => {
    const r = loadConfig({ DATABASE_URL: url });
    expect(r.ok && r.config.database).toEqual(database);
  });

  test('PostgreSQL: postgres:// or postgresql://, the pool size, and a shared web chat token key', () => {
    const secret = 'k'.repeat(40);
    const pg = loadConfig({
      DATABASE_URL: 'postgresql://app:pw@db:5432/suara',
      DATABASE_POOL_MAX: '25',
      WEBCHAT_TOKEN_SECRET: secret,
    });
    expect(pg.ok && pg.config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://app:pw@db:5432/suara',
      poolMax: 25,
    });
    const defaults = loadConfig({
      DATABASE_URL: 'postgres://db/suara',
      WEBCHAT_TOKEN_SECRET: secret,
    });
    expect(defaults.ok && defaults.config.database).toMatchObject({
      kind: 'postgres',
      poolMax: 10,
    });
    // Instances on one database must verify each other's tokens: one key for all, from the environment.
    const noKey = loadConfig({ DATABASE_URL: 'postgres://app:pw@db/suara' });
    expect(!noKey.ok && noKey.errors).toEqual([
      'WEBCHAT_TOKEN_SECRET=(unset): required with PostgreSQL (the same key on every instance)',
    ]);
    for (const bad of ['0', '1001', 'many']) {
      const refused = loadConfig({ DATABASE_POOL_MAX: bad });
      expect(!refused.ok && refused.errors).toEqual([
        `DATABASE_POOL_MAX="${bad}": expected connections to PostgreSQL per instance, from 1 to 1000`,
      ]);
    }
  });

  test('each bad value gives one line: variable, value, what is expected', () => {
    const r = loadConfig({
      PORT: 'abc',
      DATABASE_URL: 'mysql://app:s3cret@db/suara',
      LOG_LEVEL: 'loud',
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        'PORT="abc": expected an integer port from 1 to 65535',
        'DATABASE_URL="mysql://app:***@db/suara": expected sqlite:<file path>, sqlite::memory:, postgres://… / postgresql://… or mongodb://… / mongodb+srv://…',
        'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      ],
    });
  });

  test('OUTBOX_GIVE_UP_HOURS sets the time budget; out of range or not a number is refused', () => {
    const r = loadConfig({ OUTBOX_GIVE_UP_HOURS: '1.5' });
    expect(r.ok && r.config.outbox).toEqual({ giveUpAfterMs: 5_400_000 });
    for (const bad of ['0', '721', 'soon', '-3']) {
      const refused = loadConfig({ OUTBOX_GIVE_UP_HOURS: bad });
      expect(!refused.ok && refused.errors).toEqual([
        `OUTBOX_GIVE_UP_HOURS=${JSON.stringify(bad)}: expected hours (1–720) a message is retried before it is dead-lettered`,
      ]);
    }
  });

  test.each(['0', '65536', '-1', '3000.5', '3e3', ' 80'])('PORT=%j is refused', (port) => {
    const r = loadConfig({ PORT: port });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      `PORT=${JSON.stringify(port)}: expected an integer port from 1 to 65535`,
    ]);
  });

  test('a password in a database URL never appears in an error', () => {
    const r = loadConfig({ DATABASE_URL: 'mysql://root:hunter2@localhost/x' });
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  test('.env.example lists every variable, each with a comment, and its values are valid', () => {
    const text = readFileSync(join(root, '.env.example'), 'utf8');
    const lines = text.split('\n');
    const listed = lines.filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(listed.sort()).toEqual(Object.keys(ENV_VARS).sort());
    for (const name of listed) {
      const i = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(lines[i - 1]).toMatch(/^#/);
    }
    const env = Object.fromEntries(
      lines.filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    expect(loadConfig(env).ok).toBe(true);
  });

  test('README documents every variable', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of Object.keys(ENV_VARS)) expect(readme).toContain(`\`${name}\``);
  });
});

describe('Bot Framework settings', () => {
  const APP_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const problems = (env: Record<string, string>) => {
    const r = loadConfig(env);
    return r.ok ? [] : r.errors;
  };

  test('an app id and secret turn the channel on (multi-tenant by default)', () => {
    const r = loadConfig({
      MICROSOFT_APP_ID: APP_ID.toUpperCase(),
      MICROSOFT_APP_PASSWORD: 's3cret',
    });
    expect(r.ok && r.config.botframework).toEqual({
      appId: APP_ID,
      appPassword: 's3cret',
      tenantId: null,
      appType: 'MultiTenant',
    });
  });

  test('anonymous mode only on request, never with an app id or in production', () => {
    const none = loadConfig({});
    expect(none.ok && none.config.botframework).toBeNull();
    const anon = loadConfig({ BOTFRAMEWORK_ANONYMOUS: 'true' });
    expect(anon.ok && anon.config.botframework?.appId).toBeNull();
    expect(problems({ BOTFRAMEWORK_ANONYMOUS: 'true', NODE_ENV: 'production' }).join('\n')).toMatch(
      /^BOTFRAMEWORK_ANONYMOUS="true": never allowed with NODE_ENV=production/,
    );
    expect(
      problems({
        BOTFRAMEWORK_ANONYMOUS: 'true',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'x',
      }),
    ).toEqual(['BOTFRAMEWORK_ANONYMOUS="true": must not be true when MICROSOFT_APP_ID is set']);
  });

  test('bad values are named, secrets hidden', () => {
    expect(problems({ MICROSOFT_APP_ID: 'not-a-guid' })[0]).toMatch(
      /^MICROSOFT_APP_ID="not-a-guid": expected/,
    );
    expect(problems({ MICROSOFT_APP_ID: APP_ID })).toEqual([
      'MICROSOFT_APP_PASSWORD=(unset): required when MICROSOFT_APP_ID is set',
    ]);
    expect(
      problems({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'x',
        MICROSOFT_APP_TYPE: 'SingleTenant',
      }),
    ).toEqual(['MICROSOFT_APP_TENANT_ID=(unset): required when MICROSOFT_APP_TYPE=SingleTenant']);
    expect(problems({ MICROSOFT_APP_TYPE: 'Whatever' })[0]).toMatch(
      /^MICROSOFT_APP_TYPE="Whatever"/,
    );
  });
});

describe('WhatsApp settings', () => {
  const ON = {
    WHATSAPP_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAKZAtest-token-0123456789',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_APP_SECRET: '0123456789abcdef0123456789abcdef',
    WHATSAPP_VERIFY_TOKEN: 'suara-verify-42',
  };
  const problems = (env: Record<string, string>) => {
    const r = loadConfig(env);
    return r.ok ? [] : r.errors;
  };

  test('off without an access token; on with it, the Graph API root pinned to a version', () => {
    const off = loadConfig({ WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });
    expect(off.ok && off.config.whatsapp).toBeNull();
    const on = loadConfig(ON);
    expect(on.ok && on.config.whatsapp).toEqual({
      accessToken: ON.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: '106540352242922',
      appSecret: ON.WHATSAPP_APP_SECRET,
      verifyToken: 'suara-verify-42',
      apiRoot: 'https://graph.facebook.com/v26.0',
      notifyTemplate: null,
    });
    expect(ENV_VARS.WHATSAPP_API_ROOT.default).toMatch(
      /^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/,
    );
  });

  test('the phone number id, app secret and verify token are required with the token, secrets hidden', () => {
    const errors = problems({ WHATSAPP_ACCESS_TOKEN: ON.WHATSAPP_ACCESS_TOKEN });
    expect(errors).toEqual([
      'WHATSAPP_PHONE_NUMBER_ID=(unset): required when WHATSAPP_ACCESS_TOKEN is set',
      'WHATSAPP_APP_SECRET=(unset): required when WHATSAPP_ACCESS_TOKEN is set',
      'WHATSAPP_VERIFY_TOKEN=(unset): required when WHATSAPP_ACCESS_TOKEN is set',
    ]);
    const bad = problems({
      ...ON,
      WHATSAPP_PHONE_NUMBER_ID: '+62 811',
      WHATSAPP_VERIFY_TOKEN: 'short',
    });
    expect(bad.map((e) => e.split(':')[0])).toEqual([
      'WHATSAPP_PHONE_NUMBER_ID="+62 811"',
      'WHATSAPP_VERIFY_TOKEN=(hidden)',
    ]);
    expect(JSON.stringify(problems({ ...ON, WHATSAPP_APP_SECRET: 'has space' }))).not.toContain(
      'has space',
    );
  });

  test('the API root (tests point it at a fake) and the notification template', () => {
    const r = loadConfig({
      ...ON,
      WHATSAPP_API_ROOT: 'http://127.0.0.1:8089/v26.0/',
      WHATSAPP_NOTIFY_TEMPLATE: 'suara_status:id,en_US',
    });
    expect(r.ok && r.config.whatsapp).toMatchObject({
      apiRoot: 'http://127.0.0.1:8089/v26.0',
      notifyTemplate: { name: 'suara_status', languages: ['id', 'en_US'] },
    });
    for (const bad of [
      'suara_status',
      'Suara Status:id',
      'suara_status:',
      'suara_status:indonesian',
    ]) {
      expect(problems({ ...ON, WHATSAPP_NOTIFY_TEMPLATE: bad })).toEqual([
        expect.stringMatching(
          /^WHATSAPP_NOTIFY_TEMPLATE=".*": expected an approved template as name:language/,
        ),
      ]);
    }
    expect(problems({ ...ON, WHATSAPP_API_ROOT: 'graph.facebook.com' })[0]).toMatch(
      /^WHATSAPP_API_ROOT=/,
    );
  });
});
