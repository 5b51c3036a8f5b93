import { EKSClient } from '@aws-sdk/client-eks';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  bootstrapCluster,
  INGRESS_CHOICES,
  type BootstrapDeps,
  type IngressChoice,
} from '../engine/bootstrap/index.js';
import type { BootstrapOutcome } from '../engine/bootstrap/types.js';
import type { BootstrapArgs } from './context.js';
import type { ActionInputs } from './inputs.js';

/** Builds the bootstrap's clients from the environment's credentials and runs it. */
export async function runBootstrap(args: BootstrapArgs, inputs: ActionInputs): Promise<BootstrapOutcome> {
  const { model, credentials } = args;
  const choice = (args.ingressController ?? 'traefik') as IngressChoice;
  if (!INGRESS_CHOICES.includes(choice)) {
    return {
      ok: false,
      phase: 'kubeconfig',
      failureClass: 'config',
      retryable: false,
      message: `Input 'ingress-controller' is '${choice}'.`,
      nextStep: `Use one of: ${INGRESS_CHOICES.join(', ')}.`,
      timings: [],
    };
  }
  const deps: BootstrapDeps = { reporter: args.reporter };
  if (model.cloud.provider === 'aws') {
    if (!credentials.aws)
      throw new Error(`Environment ${model.name} has no AWS credentials for the bootstrap.`);
    const config = {
      region: model.cloud.region,
      credentials: credentials.aws,
      ...(inputs.aws.endpointUrl ? { endpoint: inputs.aws.endpointUrl } : {}),
    };
    deps.aws = {
      eks: new EKSClient(config),
      secretsManager: new SecretsManagerClient(config),
      credentials: credentials.aws,
    };
  } else {
    const token = credentials.gcpAccessToken;
    if (!token) throw new Error(`Environment ${model.name} has no GCP access token for the bootstrap.`);
    deps.gcp = { auth: { getAccessToken: async () => token }, fetch: (url, init) => fetch(url, init) };
  }
  return bootstrapCluster(deps, {
    model,
    outputs: args.outputs,
    ingress: choice,
    helmTimeout: `${Math.max(1, Math.min(args.timeoutMinutes, 30))}m`,
    helm: { timeoutMs: args.timeoutMinutes * 60_000 },
    // Only the tests' plain-http Kubernetes API needs this; an https endpoint always verifies its CA.
    skipTLSVerify: Boolean(inputs.aws.endpointUrl) && model.cloud.provider === 'aws',
  });
}
