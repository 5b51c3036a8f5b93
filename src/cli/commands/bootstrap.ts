import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
// Only the chart table and types load eagerly: @kubernetes/client-node and the cloud SDKs cost
// seconds to import, so every other command would pay for them (see run()).
import type { BootstrapDeps } from '../../engine/bootstrap/bootstrap.js';
import { INGRESS_CHOICES, type IngressChoice } from '../../engine/bootstrap/charts.js';
import { BootstrapError } from '../../engine/bootstrap/types.js';
import type { InfraModel } from '../../engine/model/index.js';
import { EXIT_OK, EXIT_PROBLEMS, UsageError, type CliIo, type Command } from '../types.js';
import { loadEnvironmentModel, onePositional } from './paths.js';

/** Shown instead of what only the cluster run knows; never a real secret. */
export const PASSWORD_PLACEHOLDER = '<read from the database secret at bootstrap time>';
export const KEY_PLACEHOLDER = '<generated once, kept in Secret beta9/beta9-generated>';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Cloud clients from the laptop's own credentials (AWS default chain, Google ADC), optionally assuming the file's identity. */
async function cloudDeps(model: InfraModel, assume: boolean): Promise<BootstrapDeps> {
  if (model.cloud.provider === 'aws') {
    const { EKSClient } = await import('@aws-sdk/client-eks');
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const region = model.cloud.region;
    let credentials;
    if (assume) {
      if (!model.cloud.roleArn)
        throw new UsageError('--assume-role: the environment file has no cloud.role_arn');
      const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      const res = await new STSClient({ region }).send(
        new AssumeRoleCommand({
          RoleArn: model.cloud.roleArn,
          RoleSessionName: `beta9-bootstrap-${model.name}`.slice(0, 64),
          ExternalId: model.cloud.externalId,
          DurationSeconds: 3600,
        }),
      );
      const c = res.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey)
        throw new Error(`AssumeRole into ${model.cloud.roleArn} returned no credentials`);
      credentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      };
    }
    const eks = new EKSClient({ region, ...(credentials ? { credentials } : {}) });
    const secretsManager = new SecretsManagerClient({ region, ...(credentials ? { credentials } : {}) });
    const resolved = credentials;
    return {
      aws: {
        eks,
        secretsManager,
        // The default chain refreshes what expires (SSO, instance roles): ask it per token.
        credentials: resolved ? resolved : () => eks.config.credentials(),
      },
    };
  }
  const { GoogleAuth, Impersonated } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  const source =
    assume && model.cloud.serviceAccount
      ? new Impersonated({
          sourceClient: await auth.getClient(),
          targetPrincipal: model.cloud.serviceAccount,
          targetScopes: [CLOUD_PLATFORM_SCOPE],
          lifetime: 3600,
        })
      : auth;
  return { gcp: { auth: source, fetch: (url, init) => fetch(url, init) } };
}

function reporter(io: CliIo): BootstrapDeps['reporter'] {
  return {
    phaseStarted: (phase, detail) => io.stderr(`==> ${phase}: ${detail}\n`),
    phaseFinished: (phase, seconds) => io.stderr(`    ${phase} done in ${seconds} s\n`),
    log: (line) => io.stderr(`    ${line}\n`),
  };
}

export const bootstrapCommand: Command = {
  name: 'bootstrap',
  usage:
    '<file> --outputs FILE [--values-only] [--ingress traefik|none] [--helm-timeout 10m] [--assume-role]',
  summary: 'Install cert-manager, the ingress controller and Beta9 into an applied environment',
  description: `Runs the cluster bootstrap the Action runs after apply, from your own machine: builds the
kubeconfig in memory (EKS token or GKE access token), waits for Ready nodes, creates the namespaces
and the database/Redis Secrets (the password is read from Secrets Manager or Secret Manager), then
helm upgrade --install --atomic --wait of cert-manager, the ingress controller and Beta9. Every step
is idempotent: run it again after a failure.

FILE for --outputs is the JSON of 'terraform output -json' for the environment.

--values-only prints the releases and the Helm values the bootstrap would use, as YAML, without
touching the cloud or the cluster; the password and the encryption key are shown as placeholders.

Credentials: your AWS default chain or Google application default credentials; with --assume-role
the bootstrap first assumes the file's role_arn (with external_id) or impersonates its
service_account. helm must be on PATH.

Progress goes to stderr. Exit codes: 0 done, 1 the file, the outputs or the bootstrap failed (the
message names the phase and the next step), 2 usage error.

Examples:
  terraform -chdir=build/ml-staging output -json > outputs.json
  beta9-provisioner bootstrap environments/ml-staging.yaml --outputs outputs.json --values-only
  beta9-provisioner bootstrap environments/ml-staging.yaml --outputs outputs.json --assume-role`,
  options: {
    outputs: { type: 'string' },
    'values-only': { type: 'boolean', default: false },
    ingress: { type: 'string', default: 'traefik' },
    'helm-timeout': { type: 'string', default: '10m' },
    'assume-role': { type: 'boolean', default: false },
  },
  optionHelp: [
    '--outputs FILE        terraform output -json of the environment (required)',
    '--values-only         Print the planned releases and values; touch nothing',
    '--ingress NAME        Ingress controller: traefik (default) or none',
    '--helm-timeout D      helm --timeout per release (default 10m)',
    "--assume-role         Assume the file's role_arn / impersonate its service_account first",
  ],
  allowPositionals: true,
  async run({ values, positionals }, io) {
    const file = onePositional(positionals, '<file>: the environment file to bootstrap');
    const outputsPath = values.outputs;
    if (typeof outputsPath !== 'string' || outputsPath.trim() === '') {
      throw new UsageError('--outputs FILE is required: the JSON of `terraform output -json`');
    }
    const ingress = values.ingress;
    if (typeof ingress !== 'string' || !(INGRESS_CHOICES as readonly string[]).includes(ingress)) {
      throw new UsageError(
        `--ingress must be one of ${INGRESS_CHOICES.join(', ')}; got "${String(ingress)}"`,
      );
    }
    const model = await loadEnvironmentModel(file, io);
    if (model === undefined) return EXIT_PROBLEMS;

    let outputs: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readFile(resolve(io.cwd, outputsPath), 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not a JSON object');
      outputs = parsed as Record<string, unknown>;
    } catch (error) {
      io.stderr(
        `${outputsPath}: cannot read the Terraform outputs: ${(error as Error).message}. Expected the JSON of 'terraform output -json'.\n`,
      );
      return EXIT_PROBLEMS;
    }
    const options = {
      model,
      outputs,
      ingress: ingress as IngressChoice,
      helmTimeout: String(values['helm-timeout']),
      helm: { env: { ...io.env } },
    };

    const { bootstrapCluster, planBootstrap } = await import('../../engine/bootstrap/bootstrap.js');
    if (values['values-only']) {
      try {
        const plan = planBootstrap(options);
        const beta9 = plan.beta9({
          username: plan.connection.database.username ?? 'beta9',
          password: PASSWORD_PLACEHOLDER,
          dbName: plan.connection.database.name ?? 'beta9',
          encryptionKey: KEY_PLACEHOLDER,
        });
        const releases = [plan.certManager, ...(plan.ingressRelease ? [plan.ingressRelease] : []), beta9];
        io.stdout(stringify({ releases, ...(plan.issuer ? { clusterIssuer: plan.issuer } : {}) }));
        return EXIT_OK;
      } catch (error) {
        if (!(error instanceof BootstrapError)) throw error;
        io.stderr(
          `${model.name}: ${error.message}${error.nextStep ? `\nNext step: ${error.nextStep}` : ''}\n`,
        );
        return EXIT_PROBLEMS;
      }
    }

    const deps = { ...(await cloudDeps(model, values['assume-role'] === true)), reporter: reporter(io) };
    const outcome = await bootstrapCluster(deps, options);
    if (!outcome.ok) {
      io.stderr(
        `${model.name}: bootstrap failed in phase ${outcome.phase} (${outcome.failureClass}${outcome.retryable ? ', retryable' : ''}): ${outcome.message}\nNext step: ${outcome.nextStep}\n`,
      );
      return EXIT_PROBLEMS;
    }
    for (const r of outcome.releases) {
      io.stdout(
        `${r.namespace}/${r.name}: ${r.chart} ${r.chartVersion}, revision ${r.revision}, ${r.status}\n`,
      );
    }
    if (outcome.gatewayUrl) io.stdout(`gateway: ${outcome.gatewayUrl}\n`);
    return EXIT_OK;
  },
};
