import { apply } from './commands/apply.js';
import { bootstrap } from './commands/bootstrap.js';
import { destroy } from './commands/destroy.js';
import { drift } from './commands/drift.js';
import { plan } from './commands/plan.js';
import { validate } from './commands/validate.js';
import type { CommandContext, CommandResult, Engine } from './context.js';
import { createRedactor } from './environment.js';
import { createGitClient, type GitClient } from './git.js';
import { createGitHubReporter, NullGitHubReporter, type GitHubReporter } from './github.js';
import { readInputs, type ActionInputs, type Command } from './inputs.js';
import { createCoreIO, type ActionIO } from './io.js';
import { FORK_NOTE } from './commands/validate.js';

const COMMANDS: Record<Command, (ctx: CommandContext) => Promise<CommandResult>> = {
  validate,
  plan,
  apply,
  destroy,
  drift,
  bootstrap,
};

export interface RunDeps {
  io?: ActionIO;
  env?: Record<string, string | undefined>;
  inputs?: ActionInputs;
  git?: GitClient;
  github?: GitHubReporter;
  engine?: Engine;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

const OUTPUT_LIMIT = 60_000;

/** Sets the Action's outputs from a command's result. */
export function writeOutputs(io: ActionIO, inputs: ActionInputs, result: CommandResult): void {
  io.setOutput('command', inputs.command);
  io.setOutput('environments', JSON.stringify(result.environments));
  io.setOutput('removed-environments', JSON.stringify(result.removedEnvironments ?? []));
  io.setOutput('has-changes', String(result.hasChanges));
  // Outputs share a 1 MiB budget per job; the full text is in the job summary and the artifacts.
  const summary =
    result.planSummary.length <= OUTPUT_LIMIT
      ? result.planSummary
      : `${result.planSummary.slice(0, OUTPUT_LIMIT)}\n\n… (truncated; see the job summary)`;
  io.setOutput('plan-summary', summary);
  io.setOutput('report-directory', inputs.reportDirectory);
  io.setOutput('failed-environments', JSON.stringify(result.failures.map((f) => f.environment)));
}

/**
 * Commands that change a cloud run only from the default branch: a branch push or a manual run on
 * another branch must not apply unreviewed files. Returns why the run is refused, if it is.
 */
export function refuseUnsafe(inputs: ActionInputs): string | undefined {
  if (!['apply', 'destroy', 'bootstrap'].includes(inputs.command)) return undefined;
  const { ref, defaultBranch, eventName } = inputs.github;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    return `The '${inputs.command}' command does not run on pull requests: it changes the cloud from unreviewed code. Use 'plan' on pull requests, and apply on push to ${defaultBranch}.`;
  }
  if (inputs.environments === 'detect' && !inputs.github.push) {
    return `The '${inputs.command}' command found no push to take the changed environments from (event '${eventName || 'none'}'). Name them in the 'environments' input.`;
  }
  if (ref.startsWith('refs/heads/') && ref !== `refs/heads/${defaultBranch}`) {
    return `The '${inputs.command}' command runs only on the default branch (${defaultBranch}), not on ${ref}. Merge the change first.`;
  }
  return undefined;
}

/**
 * The Action: read inputs once, run one command, write outputs and the job summary. Every error ends
 * here, in one place, as a failed step with a message that says what to do.
 */
export async function run(deps: RunDeps = {}): Promise<void> {
  const io = deps.io ?? createCoreIO();
  try {
    const inputs = deps.inputs ?? readInputs(deps.env ?? process.env);
    const refusal = refuseUnsafe(inputs);
    if (refusal) throw new Error(refusal);
    if (inputs.github.pullRequest?.isFork && inputs.command !== 'validate') {
      io.info(`${FORK_NOTE} (The '${inputs.command}' command was replaced by 'validate'.)`);
      inputs.command = 'validate';
    }
    const redactor = createRedactor();
    const maskingIO: ActionIO = Object.assign(Object.create(io) as ActionIO, {
      setSecret(value: string) {
        redactor.add(value);
        io.setSecret(value);
      },
    });
    const pr = inputs.github.pullRequest;
    // A fork's token is read-only and its code untrusted: never write to GitHub or touch a cloud from it.
    const readOnly = Boolean(pr?.isFork) || inputs.github.eventName === '';
    const github =
      deps.github ??
      (readOnly
        ? new NullGitHubReporter()
        : createGitHubReporter(inputs.githubToken, {
            apiUrl: inputs.github.apiUrl,
            owner: inputs.github.owner,
            repo: inputs.github.repo,
            runUrl: inputs.github.runUrl,
          }));
    const engine = deps.engine ?? (await import('./engine.js')).createEngine(inputs, maskingIO);
    const ctx: CommandContext = {
      inputs,
      io: maskingIO,
      git: deps.git ?? createGitClient(inputs.workingDirectory),
      github,
      engine,
      now: deps.now ?? (() => new Date()),
      redact: (text) => redactor.redact(text),
      sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
    io.info(
      `beta9-provisioner ${inputs.command} (${inputs.github.eventName || 'local'} on ${inputs.github.sha.slice(0, 7) || 'HEAD'})`,
    );
    const result = await COMMANDS[inputs.command](ctx);
    writeOutputs(io, inputs, result);
    await io.flushSummary();
    if (result.failures.length > 0) {
      io.setFailed(
        `${inputs.command} failed for ${result.failures.length} environment(s): ${result.failures.map((f) => `${f.environment} (${f.message})`).join('; ')}. See the annotations and the job summary.`,
      );
    }
  } catch (err) {
    await io.flushSummary().catch(() => undefined);
    io.setFailed(err instanceof Error ? err.message : String(err));
  }
}
