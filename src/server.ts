import { run } from './app/main.js';

run().catch((error: unknown) => {
  process.stderr.write(
    `beta9-provisioner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
