import type { Command } from '../types.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: '[--port N]',
  summary: 'Run the GitHub App, REST API, metrics and status page in one process (npm start)',
  description: `Starts the server: Hono on PORT (default 3000) serves the REST API, /metrics and the
status page from the index, and hands POST /api/github/webhooks to the GitHub App.

Without a GitHub App (no APP_ID / PRIVATE_KEY) it still starts: it indexes ./environments
(ENVIRONMENTS_DIR) as pending environments and logs which variables it needs.

Variables: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST (GHE_PROTOCOL),
LOG_LEVEL, PORT, DATABASE_PATH (./data/beta9.db), STALE_AFTER (1h), API_TOKENS,
ENVIRONMENTS_DIR, TRUSTED_WORKFLOWS, REPORT_RETRY_*; see docs/github-app.md.
SIGTERM or SIGINT stops it gracefully. Exit codes: 0 stopped cleanly, 1 bad configuration.

Example:
  beta9-provisioner serve --port 8080`,
  options: { port: { type: 'string' } },
  optionHelp: ['--port N   Listen on this port (default: PORT or 3000)'],
  async run({ values }, io) {
    const env = { ...io.env, ...(values.port !== undefined ? { PORT: String(values.port) } : {}) };
    // Loaded on demand so the other commands start without the server's dependencies.
    const { serve } = await import('../../app/main.js');
    return serve(env, io.stderr);
  },
};
