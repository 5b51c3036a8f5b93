import { createLogger, createServer } from './server.js';
import { readSettings, SettingsError } from './settings.js';

/**
 * `npm start` and `beta9-provisioner serve`: reads the settings once, starts the server, and
 * on SIGTERM or SIGINT shuts down gracefully. Resolves with the exit code once it has stopped
 * (1 at once for a configuration problem, printed with every bad variable).
 */
export async function serve(
  env: Readonly<Record<string, string | undefined>> = process.env,
  stderr: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<number> {
  let settings;
  try {
    settings = readSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) {
      stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(settings);
  const server = await createServer(settings, { logger });
  await server.listen();
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      logger.info({ signal }, `Received ${signal}`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'Shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
