import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  createLogger,
  createServer
} from "./chunk-3MI2KRYS.js";
import "./chunk-V2KDJLQG.js";
import {
  SettingsError,
  readSettings
} from "./chunk-W6VJJCRI.js";
import "./chunk-LRYD2BFO.js";

// src/app/main.ts
async function serve(env = process.env, stderr = (text) => void process.stderr.write(text)) {
  let settings;
  try {
    settings = readSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) {
      stderr(`${error.message}
`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(settings);
  const server = await createServer(settings, { logger });
  await server.listen();
  return new Promise((resolve) => {
    const stop = (signal) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      logger.info({ signal }, `Received ${signal}`);
      server.close().then(
        () => resolve(0),
        (error) => {
          logger.error({ err: error }, "Shutdown failed");
          resolve(1);
        }
      );
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
export {
  serve
};
