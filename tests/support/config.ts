import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/env';

const root = join(__dirname, '..', '..');

/** A service configuration for tests: any free port, in-memory store, the project's own files. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    database: { kind: 'sqlite', path: ':memory:' },
    agenciesFile: join(root, 'intents/agencies.yaml'),
    deadlinesFile: join(root, 'intents/deadlines.yaml'),
    holidaysFile: join(root, 'intents/holidays.yaml'),
    intentsDir: join(root, 'intents'),
    // Tests pass a trained NLU to startService; this path is never read.
    nluModelFile: join(tmpdir(), 'suara-unused-nlu-model.json'),
    routerModelFile: null,
    logLevel: 'silent',
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
      tokenSecret: 'test-webchat-token-secret-0123456789abcdef',
      limits: {
        newConversationsPerIpPerMin: 300,
        messagesPerIpPerMin: 1200,
        messagesPerConversationPerMin: 20,
        socketsPerIp: 1000,
      },
    },
    trustProxy: false,
    instanceId: 'test-instance',
    ...overrides,
  };
}
