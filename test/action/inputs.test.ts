import { describe, expect, it } from 'vitest';
import { InputError, readInputs } from '../../src/action/inputs.js';

const base = {
  'INPUT_GITHUB-TOKEN': 't',
  GITHUB_REPOSITORY: 'acme/infra',
  GITHUB_WORKSPACE: '/w',
  RUNNER_TEMP: '/rt',
};

function events(payload: unknown) {
  return (path: string) => {
    expect(path).toBe('/event.json');
    return JSON.stringify(payload);
  };
}

describe('readInputs', () => {
  it('applies defaults and picks the command from the event', () => {
    const inputs = readInputs(
      {
        ...base,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: '/event.json',
        GITHUB_SHA: 'abc',
        GITHUB_RUN_ID: '9',
      },
      events({
        pull_request: {
          number: 7,
          base: { sha: 'b1', ref: 'main', repo: { full_name: 'acme/infra' } },
          head: { sha: 'h1', repo: { full_name: 'acme/infra' } },
        },
        repository: { default_branch: 'main', full_name: 'acme/infra' },
      }),
    );
    expect(inputs.command).toBe('plan');
    expect(inputs.environments).toBe('detect');
    expect(inputs.terraformBinary).toBe('terraform');
    expect(inputs.workingDirectory).toBe('/w');
    expect(inputs.reportDirectory).toBe('/rt/beta9-provisioner/report');
    expect(inputs.github.pullRequest).toMatchObject({ number: 7, baseSha: 'b1', isFork: false });
    expect(inputs.github.runUrl).toBe('https://github.com/acme/infra/actions/runs/9');
    expect(inputs.bootstrap).toBe(true);
  });

  it('marks a pull request from another repository as a fork', () => {
    const inputs = readInputs(
      { ...base, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/event.json' },
      events({
        pull_request: {
          number: 1,
          base: { sha: 'b', ref: 'main', repo: { full_name: 'acme/infra' } },
          head: { sha: 'h', repo: { full_name: 'mallory/infra' } },
        },
      }),
    );
    expect(inputs.github.pullRequest?.isFork).toBe(true);
  });

  it('reads explicit environments and the push range', () => {
    const inputs = readInputs(
      {
        ...base,
        INPUT_COMMAND: 'apply',
        INPUT_ENVIRONMENTS: 'ml-staging, prod\n',
        'INPUT_TERRAFORM-BINARY': 'tofu',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: '/event.json',
      },
      events({ before: 'b0', after: 'a1', repository: { default_branch: 'trunk' } }),
    );
    expect(inputs.environments).toEqual(['ml-staging', 'prod']);
    expect(inputs.terraformBinary).toBe('tofu');
    expect(inputs.github.push).toEqual({ before: 'b0', after: 'a1' });
    expect(inputs.github.defaultBranch).toBe('trunk');
  });

  it('reports every bad input at once, naming the value and the expected form', () => {
    let error: unknown;
    try {
      readInputs({
        INPUT_COMMAND: 'deploy',
        'INPUT_TERRAFORM-BINARY': 'pulumi',
        'INPUT_TIMEOUT-MINUTES': '-3',
        'INPUT_LOCK-TIMEOUT': 'forever',
        INPUT_ENVIRONMENTS: 'Bad_Name',
        'INPUT_AWS-ROLE-ARN': 'role/x',
        INPUT_BOOTSTRAP: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems.join('\n');
    for (const word of [
      "'command' is 'deploy'",
      "'terraform-binary' is 'pulumi'",
      "'timeout-minutes'",
      "'lock-timeout'",
      "'Bad_Name'",
      "'aws-role-arn'",
      "'github-token' is empty",
      "'bootstrap' is 'maybe'",
    ]) {
      expect(problems).toContain(word);
    }
  });
});

describe('refuseUnsafe', () => {
  const withRef = (command: string, eventName: string, ref: string) =>
    readInputs(
      {
        ...base,
        INPUT_COMMAND: command,
        GITHUB_EVENT_NAME: eventName,
        GITHUB_REF: ref,
        GITHUB_EVENT_PATH: '/event.json',
      },
      events({
        repository: { default_branch: 'main' },
        ...(eventName === 'push' ? { before: 'b', after: 'a' } : {}),
      }),
    );
  it('lets apply, destroy and bootstrap run only from the default branch, never on a pull request', async () => {
    const { refuseUnsafe } = await import('../../src/action/main.js');
    expect(refuseUnsafe(withRef('apply', 'push', 'refs/heads/main'))).toBeUndefined();
    expect(refuseUnsafe(withRef('apply', 'push', 'refs/heads/feature'))).toMatch(
      /only on the default branch \(main\), not on refs\/heads\/feature/,
    );
    expect(refuseUnsafe(withRef('destroy', 'push', 'refs/heads/dev'))).toMatch(/default branch/);
    expect(refuseUnsafe(withRef('bootstrap', 'pull_request', 'refs/pull/1/merge'))).toMatch(
      /does not run on pull requests/,
    );
    expect(refuseUnsafe(withRef('plan', 'pull_request', 'refs/pull/1/merge'))).toBeUndefined();
    // A manual run must name its environments: "every environment" is never implied.
    expect(refuseUnsafe(withRef('apply', 'workflow_dispatch', 'refs/heads/main'))).toMatch(
      /Name them in the 'environments' input/,
    );
  });
});

describe('run', () => {
  it('ends every error in one failed step that names the problem', async () => {
    const { run } = await import('../../src/action/main.js');
    const { MemoryIO } = await import('../../src/action/io.js');
    const io = new MemoryIO();
    await run({ io, env: { INPUT_COMMAND: 'deploy' } });
    expect(io.failed).toMatch(/Input 'command' is 'deploy'/);
    expect(io.failed).toMatch(/'github-token' is empty/);
  });
});
