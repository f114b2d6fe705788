import { parseArgs } from 'node:util';
import type { ChannelFactory } from '../channel';
import { ConfigFileError } from '../config/files';
import { isCodedError } from '../errors';
import { createLogger } from '../logger';
import { startService } from '../service';
import { config, printConfigProblems } from './common';
import { type Command, EXIT_CONFIG, EXIT_USAGE } from './io';

/** `suara serve`: the HTTP service with every configured channel, until SIGTERM/SIGINT. */
export const serveCommand = (channels: ChannelFactory[]): Command => ({
  summary: 'start the service (HTTP API, channels, outbox) — what `npm start` runs',
  usage: 'suara serve [--port N]',
  async run(args, io) {
    let port: string | undefined;
    try {
      ({ port } = parseArgs({ args, options: { port: { type: 'string' } }, strict: true }).values);
    } catch (err) {
      io.stderr(`suara serve: ${(err as Error).message}\nusage: ${this.usage}\n`);
      return EXIT_USAGE;
    }
    const cfg = config(port === undefined ? io : { ...io, env: { ...io.env, PORT: port } });
    const logger = createLogger(cfg.logLevel);
    let service: Awaited<ReturnType<typeof startService>>;
    try {
      service = await startService(cfg, { logger, channels });
    } catch (err) {
      if (err instanceof ConfigFileError) {
        printConfigProblems(err.lines, io);
        return EXIT_CONFIG;
      }
      if (isCodedError(err, 'store_unavailable')) {
        io.stderr(`suara: ${err.message}\n`);
        return EXIT_CONFIG;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        io.stderr(`suara: cannot listen on port ${cfg.port} (${code}); set PORT to a free port\n`);
        return EXIT_CONFIG;
      }
      throw err;
    }
    logger.info({ url: service.url, database: cfg.database.kind }, 'Suara is listening');
    io.stdout(`Suara is running at ${service.url} (health: ${service.url}/healthz)\n`);

    return new Promise<number>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        // A second signal while stopping ends the process at once.
        process.once(signal, () => process.exit(130));
        logger.info({ signal }, 'signal received');
        service.stop().then(
          () => resolve(0),
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            resolve(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
  },
});
