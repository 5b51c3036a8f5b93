// Thin entry point for `npm start`: all logic lives in src/app/main.ts.
import { serve } from './app/main.js';

serve().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `beta9-provisioner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
