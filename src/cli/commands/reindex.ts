import { readSettings, SettingsError } from '../../app/settings.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type Command } from '../types.js';

export const reindexCommand: Command = {
  name: 'reindex',
  usage: '[--repo owner/name]...',
  summary: 'Rebuild the index from GitHub: environment files, deployments and their statuses',
  description: `The index (DATABASE_PATH, default ./data/beta9.db) is a cache of what GitHub holds.
reindex rebuilds it: for each repository it reads the environment files on the default
branch, replays every Beta9 deployment and its statuses in order, and fetches the run
report of each final state. Without --repo it covers every repository of every
installation of the App.

It reads the server's variables: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET,
GHE_HOST, DATABASE_PATH. It is safe to run while the server runs.

Exit codes: 0 rebuilt, 1 some files were skipped (printed) or GitHub failed, 2 usage error.

Example:
  beta9-provisioner reindex --repo acme/infrastructure`,
  options: {
    repo: { type: 'string', multiple: true },
    database: { type: 'string' },
  },
  optionHelp: [
    '--repo owner/name   Only this repository (repeatable); default: all installations',
    '--database PATH     The index file (default: DATABASE_PATH or ./data/beta9.db)',
  ],
  async run({ values }, io) {
    const repos = (values.repo as string[] | undefined) ?? [];
    for (const repo of repos) {
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo '${repo}' is not owner/name`);
    }
    let settings;
    try {
      settings = readSettings({
        ...io.env,
        ...(values.database ? { DATABASE_PATH: String(values.database) } : {}),
      });
    } catch (error) {
      if (error instanceof SettingsError) {
        io.stderr(`${error.message}\n`);
        return EXIT_PROBLEMS;
      }
      throw error;
    }
    // Loaded on demand so the other commands start without the App's dependencies.
    const [{ createLogger }, { runReindex }] = await Promise.all([
      import('../../app/server.js'),
      import('../../app/reindex.js'),
    ]);
    const logger = createLogger({ logLevel: settings.logLevel === 'info' ? 'warn' : settings.logLevel });
    try {
      const results = await runReindex(settings, { repos, logger });
      let skipped = 0;
      for (const result of results) {
        const list =
          result.environments.map((e) => `${e.name} (${e.status})`).join(', ') || 'no environments';
        io.stdout(`${result.repo}: ${list}; ${result.deployments} deployment(s) replayed\n`);
        for (const s of result.skipped) io.stdout(`  skipped ${s.path}: ${s.reason}\n`);
        skipped += result.skipped.length;
      }
      io.stdout(
        `Reindexed ${results.length} repositor${results.length === 1 ? 'y' : 'ies'} into ${settings.databasePath}.\n`,
      );
      return skipped > 0 ? EXIT_PROBLEMS : EXIT_OK;
    } catch (error) {
      if (error instanceof SettingsError) {
        io.stderr(`${error.message}\n`);
        return EXIT_PROBLEMS;
      }
      io.stderr(`reindex failed: ${(error as Error).message}\n`);
      return EXIT_PROBLEMS;
    }
  },
};
