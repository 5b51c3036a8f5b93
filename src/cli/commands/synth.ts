import { join, resolve } from 'node:path';
import type { CloudProvider } from '../../engine/config/types.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type Command } from '../types.js';
import { loadEnvironmentModel, onePositional } from './paths.js';

/** What the command needs of src/engine/stacks/synth.ts, however it was loaded. */
export type LoadedSynth = Pick<typeof import('../../engine/stacks/synth.js'), 'STACK_FILE' | 'synthStack'> & {
  /** Writes the loader's code cache, if it keeps one; called after a successful synth. */
  save(): void;
};

/**
 * Loads the synth path for one cloud. Only this command pays for CDKTF, and only for the
 * environment's cloud: the built CLI loads that cloud's CommonJS synth bundle with a V8 code
 * cache (see ../synth-bundles.ts); from source it imports the ES module.
 */
export type SynthLoader = (cloud: CloudProvider) => Promise<LoadedSynth>;

/** The synth command, with the synth path loaded by `loadSynth` once the file names its cloud. */
export function synthCommandWith(loadSynth: SynthLoader): Command {
  return {
    name: 'synth',
    usage: '<file> [--out DIR]',
    summary: 'Write the Terraform JSON of one environment (CDKTF synth, no cdktf-cli needed)',
    description: `Validates one environment file, resolves its InfraModel and synthesises the environment's
Terraform configuration: provider (assumed role or impersonated service account), state backend,
network, Kubernetes cluster, PostgreSQL, Redis, object storage and outputs. The file is written to
DIR/cdk.tf.json (default DIR: cdktf.out/stacks/<name>), ready for 'terraform init' in DIR.

The last line of output is the written file's path. Problems in the file are printed as
path:line:col: message on stderr.

Exit codes: 0 written, 1 the file has problems or cannot be synthesised, 2 usage error.

Example:
  beta9-provisioner synth environments/ml-staging.yaml --out build/ml-staging
  terraform -chdir=build/ml-staging init`,
    options: { out: { type: 'string', short: 'o' } },
    optionHelp: ['-o, --out DIR   Folder to write cdk.tf.json to (default cdktf.out/stacks/<name>)'],
    allowPositionals: true,
    async run({ values, positionals }, io) {
      const file = onePositional(positionals, '<file>: the environment file to synthesise');
      const out = values.out;
      if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) {
        throw new UsageError('--out needs a folder, e.g. --out build/ml-staging');
      }
      const model = await loadEnvironmentModel(file, io);
      if (model === undefined) return EXIT_PROBLEMS;
      const outDir = typeof out === 'string' ? out : join('cdktf.out', 'stacks', model.name);
      const { STACK_FILE, synthStack, save } = await loadSynth(model.cloud.provider);
      try {
        await synthStack(model, resolve(io.cwd, outDir));
      } catch (error) {
        io.stderr(`${file}: cannot synthesise ${model.name}: ${(error as Error).message}\n`);
        return EXIT_PROBLEMS;
      }
      save();
      const backend =
        model.stateBackend.type === 's3'
          ? `s3://${model.stateBackend.bucket}/${model.stateBackend.key}`
          : `gs://${model.stateBackend.bucket}/${model.stateBackend.prefix}`;
      io.stdout(`${model.name}: ${model.cloud.provider} ${model.cloud.region}, state ${backend}\n`);
      io.stdout(`${join(outDir, STACK_FILE)}\n`);
      return EXIT_OK;
    },
  };
}
