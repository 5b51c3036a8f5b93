import { createLogger, createServer } from './server.js';
import { readSettings, SettingsError } from './settings.js';

/**
 * `npm start` and `beta9-provisioner serve`: reads the settings once, starts the server and
 * shuts it down gracefully on SIGTERM or SIGINT.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let settings;
  try {
    settings = readSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const logger = createLogger(settings);
  const server = await createServer(settings, { logger });
  await server.listen();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `Received ${signal}`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
