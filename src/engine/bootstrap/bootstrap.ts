/**
 * bootstrapCluster: from Terraform outputs to a running Beta9. Every step is idempotent
 * (read-then-create-or-replace, `helm upgrade --install`), so the function can be re-run by
 * itself after a failure or on an existing cluster. It never throws for an expected failure:
 * it returns a BootstrapOutcome naming the phase, the failure class and the next step.
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { InfraModel } from '../model/types.js';
import {
  BETA9_CHART,
  BETA9_NAMESPACE,
  BETA9_RELEASE,
  CERT_MANAGER,
  CLUSTER_ISSUER,
  beta9Values,
  certManagerValues,
  clusterIssuer,
  ingressController,
  storageClassFor,
  type ChartRef,
  type CustomIngress,
  type IngressChoice,
  type ResolvedIngress,
} from './charts.js';
import { eksKubeTarget, eksToken, type AwsCredentials, type EksClientLike } from './eks.js';
import { gcpAccessToken, gkeKubeTarget, type FetchLike, type GcpTokenSource } from './gke.js';
import { createHelmRunner, helmDuration, type HelmRunner, type HelmRunnerOptions } from './helm.js';
import {
  ensureGp3StorageClass,
  ensureNamespace,
  readSecret,
  upsertClusterIssuer,
  upsertSecret,
  waitForNodes,
} from './kube.js';
import { buildKubeConfig, type KubeTarget } from './kubeconfig.js';
import { connectionFromOutputs, type ConnectionInfo, type OutputMap } from './outputs.js';
import { Redactor } from './redact.js';
import { readDatabaseCredentials, type SecretsManagerLike } from './secrets.js';
import {
  BootstrapError,
  nullReporter,
  systemClock,
  type BootstrapFailureClass,
  type BootstrapOutcome,
  type BootstrapPhase,
  type BootstrapReporter,
  type Clock,
  type PhaseTiming,
  type ReleaseSummary,
} from './types.js';

export const DATABASE_SECRET = 'beta9-database';
export const REDIS_SECRET = 'beta9-redis';
/** Values the bootstrap generates once and keeps across re-runs (the Beta9 encryption key). */
export const GENERATED_SECRET = 'beta9-generated';
/** The database and user the stacks create (DATABASE_NAME / DATABASE_USER in src/engine/stacks/aws/database.ts). */
export const DEFAULT_DATABASE = 'beta9';
export const DEFAULT_DATABASE_USER = 'beta9';

export interface BootstrapDeps {
  aws?: {
    eks: EksClientLike;
    secretsManager: SecretsManagerLike;
    /** Credentials of the assumed role; a function is called for each fresh EKS token. */
    credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  };
  gcp?: { auth: GcpTokenSource; fetch: FetchLike };
  /** Overrides how the cluster is reached (tests, or a pre-built target). Called once per phase. */
  kubeTarget?: () => Promise<KubeTarget>;
  /** Defaults to createHelmRunner. */
  createHelm?: (options: HelmRunnerOptions) => HelmRunner;
  reporter?: BootstrapReporter;
  clock?: Clock;
  /** Source of randomness for generated keys (tests pass a fixed one). */
  randomBytes?: (n: number) => Buffer;
  /** Share one with the caller to redact its own logs with the secrets learnt here. */
  redactor?: Redactor;
}

export interface BootstrapOptions {
  model: InfraModel;
  /** `terraform output -json` or a flat name→value map. */
  outputs: OutputMap;
  /** Default 'traefik'. */
  ingress?: IngressChoice | CustomIngress;
  /** helm --timeout per release. Default 10m. */
  helmTimeout?: number | string;
  helm?: Pick<HelmRunnerOptions, 'binary' | 'env' | 'exec' | 'timeoutMs' | 'tmpDir'>;
  nodes?: { minReady?: number; timeoutMs?: number; intervalMs?: number };
  versions?: { certManager?: string; ingress?: string };
  /** ACME directory (tests or Let's Encrypt staging). */
  acmeServer?: string;
  /** Only for tests against a plain-http fake API server. */
  skipTLSVerify?: boolean;
}

const DEFAULT_NEXT_STEP: Record<BootstrapFailureClass, string> = {
  config: 'Fix the environment file or the stack outputs named above, then re-run bootstrap.',
  credentials: 'Check the provisioner role or service account permissions, then re-run bootstrap.',
  secret: 'Check the database secret named above, then re-run bootstrap.',
  kube_unreachable: 'Re-run bootstrap once the cluster endpoint answers from the runner.',
  nodes_not_ready: 'Check the node groups in the cloud console, then re-run bootstrap.',
  timeout: 'Re-run bootstrap; the release was rolled back, so a re-run starts clean.',
  network: 'Re-run bootstrap; this failure is usually transient.',
  release_locked: 'Roll back the stuck release with helm, then re-run bootstrap.',
  release_failed: "Fix what helm's message names, then re-run bootstrap.",
  unknown: 'Re-run bootstrap; if it fails again, report a bug with this message.',
};

/** Ready nodes to wait for: the minimum of the CPU node groups (GPU pools may scale to zero). */
export function defaultMinReady(model: InfraModel): number {
  const min = model.cluster.nodeGroups.reduce((sum, g) => sum + g.minNodes, 0);
  return Math.max(1, min);
}

/** Seconds of a helm timeout (number of seconds or Go duration). */
export function helmSeconds(timeout: number | string): number {
  const d = helmDuration(timeout);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
}

export function generateEncryptionKey(random: (n: number) => Buffer = randomBytes): string {
  return `sk_${random(32).toString('base64')}`;
}

/** A chart to install with the values to give it. */
export interface PlannedRelease extends ChartRef {
  values: Record<string, unknown>;
}

/** What only the cluster can provide: the database credentials and the kept encryption key. */
export interface BootstrapSecrets {
  username: string;
  password: string;
  dbName: string;
  encryptionKey: string;
}

export interface BootstrapPlan {
  connection: ConnectionInfo;
  ingress?: ResolvedIngress;
  storageClass: string;
  certManager: PlannedRelease;
  /** The ACME ClusterIssuer, when the environment has a domain. */
  issuer?: ReturnType<typeof clusterIssuer>;
  ingressRelease?: PlannedRelease;
  beta9(secrets: BootstrapSecrets): PlannedRelease;
}

/**
 * Everything the bootstrap will install, decided from the environment and the outputs alone
 * (no network). Throws a `config` BootstrapError naming every problem it can see.
 */
export function planBootstrap(
  options: Pick<BootstrapOptions, 'model' | 'outputs' | 'ingress' | 'versions' | 'acmeServer'>,
): BootstrapPlan {
  const { model } = options;
  const connection = connectionFromOutputs(model, options.outputs);
  const ingress = ingressController(options.ingress ?? 'traefik', options.versions?.ingress);
  const domain = model.beta9.domain;
  if (domain && !ingress) {
    throw new BootstrapError(
      'config',
      `beta9.domain is '${domain}' but the ingress controller is 'none'.`,
      'Choose an ingress controller (traefik), or remove beta9.domain from the environment file.',
    );
  }
  if (domain && !model.beta9.tlsEmail) {
    throw new BootstrapError(
      'config',
      `beta9.domain is set but beta9.tls_email is missing.`,
      'Add beta9.tls_email (the ACME account e-mail) to the environment file.',
    );
  }
  const storageClass = storageClassFor(model.cloud.provider);
  const withDomain =
    domain && ingress && model.beta9.tlsEmail ? { domain, ingress, email: model.beta9.tlsEmail } : undefined;
  return {
    connection,
    ingress,
    storageClass,
    certManager: {
      ...CERT_MANAGER,
      version: options.versions?.certManager ?? CERT_MANAGER.version,
      values: certManagerValues(),
    },
    issuer: withDomain
      ? clusterIssuer(withDomain.email, withDomain.ingress.className, options.acmeServer)
      : undefined,
    ingressRelease: ingress
      ? {
          release: ingress.release,
          chart: ingress.chart,
          version: ingress.version,
          namespace: ingress.namespace,
          values: ingress.values(model.cloud.provider),
        }
      : undefined,
    beta9: (secrets) => ({
      release: BETA9_RELEASE,
      chart: BETA9_CHART,
      version: model.beta9.chartVersion,
      namespace: BETA9_NAMESPACE,
      values: beta9Values({
        provider: model.cloud.provider,
        database: {
          host: connection.database.host,
          port: connection.database.port,
          username: secrets.username,
          password: secrets.password,
          name: secrets.dbName,
        },
        redis: connection.redis,
        encryptionKey: secrets.encryptionKey,
        storageClass,
        ingress: withDomain
          ? {
              domain: withDomain.domain,
              className: withDomain.ingress.className,
              clusterIssuer: CLUSTER_ISSUER,
            }
          : undefined,
      }),
    }),
  };
}

export async function bootstrapCluster(
  deps: BootstrapDeps,
  options: BootstrapOptions,
): Promise<BootstrapOutcome> {
  const reporter = deps.reporter ?? nullReporter;
  const clock = deps.clock ?? systemClock;
  const redactor = deps.redactor ?? new Redactor();
  const log = (line: string) => reporter.log(redactor.redact(line));
  const { model } = options;
  const timings: PhaseTiming[] = [];
  const releases: ReleaseSummary[] = [];
  let current: BootstrapPhase = 'kubeconfig';

  async function phase<T>(name: BootstrapPhase, detail: string, body: () => Promise<T>): Promise<T> {
    current = name;
    reporter.phaseStarted(name, detail);
    const started = clock.now();
    const result = await body();
    const seconds = Math.round((clock.now() - started) / 100) / 10;
    timings.push({ phase: name, seconds });
    reporter.phaseFinished(name, seconds);
    return result;
  }

  try {
    // Validate everything that needs no network first, so a config mistake fails in a second.
    const plan = planBootstrap(options);
    const { connection, ingress } = plan;
    const domain = model.beta9.domain;

    const timeout = options.helmTimeout ?? '10m';
    let timeoutSeconds: number;
    try {
      timeoutSeconds = helmSeconds(timeout);
    } catch (err) {
      throw new BootstrapError(
        'config',
        (err as Error).message,
        'Pass the helm timeout as seconds or a Go duration (10m).',
      );
    }
    if (model.cloud.provider === 'aws' && timeoutSeconds > 14 * 60) {
      log(
        `warning: helm timeout ${String(timeout)} is longer than an EKS token lives (15 minutes); a slow rollout may end in 'Unauthorized'`,
      );
    }

    // The endpoint and CA are looked up once; the token is minted afresh for every phase and
    // helm command (EKS accepts a token for about 15 minutes).
    let endpoint: Omit<KubeTarget, 'token'> | undefined;
    const resolveTarget = async (): Promise<KubeTarget> => {
      let target: KubeTarget;
      if (deps.kubeTarget) target = await deps.kubeTarget();
      else if (model.cloud.provider === 'aws') {
        if (!deps.aws)
          throw new BootstrapError('unknown', 'bootstrapCluster: AWS clients were not passed (deps.aws).');
        const creds =
          typeof deps.aws.credentials === 'function' ? await deps.aws.credentials() : deps.aws.credentials;
        redactor.add(creds.secretAccessKey);
        redactor.add(creds.sessionToken);
        const now = new Date(clock.now());
        target = endpoint
          ? { ...endpoint, token: await eksToken(connection.clusterName, model.cloud.region, creds, now) }
          : await eksKubeTarget(deps.aws.eks, connection.clusterName, model.cloud.region, creds, now);
      } else {
        if (!deps.gcp)
          throw new BootstrapError('unknown', 'bootstrapCluster: GCP clients were not passed (deps.gcp).');
        target = endpoint
          ? { ...endpoint, token: await gcpAccessToken(deps.gcp.auth) }
          : await gkeKubeTarget(
              deps.gcp,
              model.cloud.account,
              connection.clusterLocation,
              connection.clusterName,
            );
      }
      endpoint = { name: target.name, server: target.server, caData: target.caData };
      redactor.add(target.token);
      return target;
    };
    const kubeConfigFor = (t: KubeTarget): KubeConfig =>
      buildKubeConfig({ ...t, skipTLSVerify: options.skipTLSVerify });
    const apis = async () => {
      const kc = kubeConfigFor(await resolveTarget());
      return {
        core: kc.makeApiClient(CoreV1Api),
        storage: kc.makeApiClient(StorageV1Api),
        custom: kc.makeApiClient(CustomObjectsApi),
      };
    };

    let api = await phase('kubeconfig', `connecting to ${connection.clusterName}`, apis);

    const nodes = await phase('nodes', 'waiting for Ready nodes', () =>
      waitForNodes(api.core, {
        minReady: options.nodes?.minReady ?? defaultMinReady(model),
        timeoutMs: options.nodes?.timeoutMs ?? 15 * 60_000,
        intervalMs: options.nodes?.intervalMs ?? 10_000,
        clock,
        onProgress: log,
      }),
    );
    log(`${nodes.ready} nodes Ready`);

    // A token may be minutes old by now (EKS tokens live 15 minutes): refresh per phase.
    api = await apis();
    const namespaces = [BETA9_NAMESPACE, CERT_MANAGER.namespace, ...(ingress ? [ingress.namespace] : [])];
    await phase('namespaces', namespaces.join(', '), async () => {
      for (const ns of namespaces)
        log(`namespace ${ns}: ${(await ensureNamespace(api.core, ns)) ? 'created' : 'exists'}`);
    });

    const secrets = await phase('secrets', 'database and Redis connection', async () => {
      const creds = await readDatabaseCredentials(
        { secretsManager: deps.aws?.secretsManager, gcpAuth: deps.gcp?.auth, fetch: deps.gcp?.fetch },
        connection.database.passwordSource,
        redactor,
        model.cloud.account,
      );
      // RDS-managed secrets carry the user; Cloud SQL's secret holds only the password.
      const username = connection.database.username ?? creds.username ?? DEFAULT_DATABASE_USER;
      const dbName = connection.database.name ?? creds.dbname ?? DEFAULT_DATABASE;
      const dbState = await upsertSecret(api.core, BETA9_NAMESPACE, DATABASE_SECRET, {
        host: connection.database.host,
        port: String(connection.database.port),
        username,
        password: creds.password,
        database: dbName,
        sslmode: 'require',
      });
      log(`Secret ${BETA9_NAMESPACE}/${DATABASE_SECRET}: ${dbState}`);
      const redisState = await upsertSecret(api.core, BETA9_NAMESPACE, REDIS_SECRET, {
        host: connection.redis.host,
        port: String(connection.redis.port),
        addrs: `${connection.redis.host}:${connection.redis.port}`,
        enableTLS: 'true',
        password: '',
        ...(connection.redis.caCertificate ? { 'ca.crt': connection.redis.caCertificate } : {}),
      });
      log(`Secret ${BETA9_NAMESPACE}/${REDIS_SECRET}: ${redisState}`);
      const generated = await readSecret(api.core, BETA9_NAMESPACE, GENERATED_SECRET);
      let encryptionKey = generated?.encryptionKey;
      if (!encryptionKey) {
        encryptionKey = generateEncryptionKey(deps.randomBytes);
        await upsertSecret(api.core, BETA9_NAMESPACE, GENERATED_SECRET, { ...generated, encryptionKey });
        log(`Secret ${BETA9_NAMESPACE}/${GENERATED_SECRET}: created (new encryption key)`);
      } else {
        log(`Secret ${BETA9_NAMESPACE}/${GENERATED_SECRET}: kept (existing encryption key)`);
      }
      redactor.add(encryptionKey);
      return { username, password: creds.password, dbName, encryptionKey };
    });

    const storageClass = plan.storageClass;
    await phase('storage', storageClass, async () => {
      if (model.cloud.provider === 'aws') {
        log(
          `StorageClass ${storageClass}: ${(await ensureGp3StorageClass(api.storage, storageClass)) ? 'created' : 'exists'}`,
        );
      } else {
        log(`StorageClass ${storageClass}: provided by GKE`);
      }
    });

    const helm = (deps.createHelm ?? createHelmRunner)({
      ...options.helm,
      kubeconfig: async () => kubeConfigFor(await resolveTarget()).exportConfig(),
      onLine: log,
      redactor,
    });

    const install = (release: PlannedRelease) =>
      helm.upgradeInstall({ ...release, atomic: true, wait: true, timeout, createNamespace: true });

    releases.push(
      await phase('cert-manager', `${plan.certManager.chart} ${plan.certManager.version}`, () =>
        install(plan.certManager),
      ),
    );

    if (plan.issuer) {
      const issuer = plan.issuer;
      await phase('cluster-issuer', CLUSTER_ISSUER, async () => {
        const custom = (await apis()).custom;
        // cert-manager's webhook can refuse for a few seconds after its Deployment is Ready.
        for (let attempt = 1; ; attempt++) {
          try {
            const state = await upsertClusterIssuer(custom, issuer);
            log(`ClusterIssuer ${CLUSTER_ISSUER}: ${state}`);
            return;
          } catch (err) {
            if (!(err instanceof BootstrapError) || !err.retryable || attempt >= 6) throw err;
            log(`ClusterIssuer ${CLUSTER_ISSUER}: not accepted yet (${err.message}); retrying`);
            await clock.sleep(5_000);
          }
        }
      });
    }

    if (plan.ingressRelease) {
      const release = plan.ingressRelease;
      releases.push(await phase('ingress', `${release.chart} ${release.version}`, () => install(release)));
    }

    const beta9 = plan.beta9(secrets);
    releases.push(await phase('beta9', `${beta9.chart} ${beta9.version}`, () => install(beta9)));

    return { ok: true, releases, timings, ...(domain ? { gatewayUrl: `https://${domain}` } : {}) };
  } catch (err) {
    const e =
      err instanceof BootstrapError
        ? err
        : new BootstrapError('unknown', `Unexpected error: ${(err as Error)?.message ?? String(err)}`);
    const message = redactor.redact(e.message);
    log(`bootstrap failed in phase ${current}: ${message}`);
    return {
      ok: false,
      phase: current,
      failureClass: e.failureClass,
      retryable: e.retryable,
      message,
      nextStep: redactor.redact(e.nextStep ?? DEFAULT_NEXT_STEP[e.failureClass]),
      timings,
    };
  }
}
