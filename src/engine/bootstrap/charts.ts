/**
 * The three charts the bootstrap installs and the values it gives them. Pure: every function
 * here maps typed input to a values object, so each Beta9 gotcha (DESIGN.md "Facts worth
 * knowing") is a unit-tested property of the values rather than a hope.
 */
import type { CloudProvider } from '../config/types.js';
import { BootstrapError } from './types.js';

export interface ChartRef {
  release: string;
  chart: string;
  version: string;
  namespace: string;
}

/** cert-manager from its OCI registry; `crds.enabled` installs and upgrades the CRDs with the release. */
export const CERT_MANAGER: ChartRef = {
  release: 'cert-manager',
  chart: 'oci://quay.io/jetstack/charts/cert-manager',
  version: 'v1.19.1',
  namespace: 'cert-manager',
};

export interface IngressController extends ChartRef {
  /** The IngressClass the controller serves; Beta9's Ingress and the ACME solver use it. */
  className: string;
}

/**
 * Traefik is the default ingress controller: ingress-nginx was retired in March 2026, and
 * Traefik is maintained, serves the standard Ingress API (so the Beta9 chart's Ingress and
 * cert-manager's HTTP-01 solver work unchanged) and ships from an OCI registry.
 */
export const TRAEFIK: IngressController = {
  release: 'traefik',
  chart: 'oci://ghcr.io/traefik/helm/traefik',
  version: '39.0.0',
  namespace: 'traefik',
  className: 'traefik',
};

export const BETA9_CHART = 'oci://public.ecr.aws/n4e0e1y0/beta9-chart';
export const BETA9_NAMESPACE = 'beta9';
export const BETA9_RELEASE = 'beta9';

export type IngressChoice = 'traefik' | 'none';
export const INGRESS_CHOICES: readonly IngressChoice[] = ['traefik', 'none'];

/**
 * Any other maintained controller (HAProxy, Contour, NGINX Inc…): the caller names the chart and
 * the IngressClass it serves, and gives its values.
 */
export interface CustomIngress extends IngressController {
  values: Record<string, unknown>;
}

export interface ResolvedIngress extends IngressController {
  values(provider: CloudProvider): Record<string, unknown>;
}

function checkCustomIngress(c: CustomIngress): void {
  const problems: string[] = [];
  for (const key of ['release', 'chart', 'version', 'namespace', 'className'] as const) {
    if (typeof c[key] !== 'string' || c[key] === '') problems.push(key);
  }
  if (!c.values || typeof c.values !== 'object') problems.push('values');
  if (problems.length > 0) {
    throw new BootstrapError(
      'config',
      `The custom ingress controller is missing ${problems.join(', ')}.`,
      'Give release, chart, version, namespace, className and values, or use one of: ' +
        INGRESS_CHOICES.join(', ') +
        '.',
    );
  }
}

export function ingressController(
  choice: IngressChoice | CustomIngress,
  version?: string,
): ResolvedIngress | undefined {
  if (choice === 'none') return undefined;
  if (choice === 'traefik') {
    const ref = { ...TRAEFIK, ...(version ? { version } : {}) };
    return { ...ref, values: (provider) => traefikValues(provider, ref.className) };
  }
  if (choice && typeof choice === 'object') {
    checkCustomIngress(choice);
    const { values, ...ref } = choice;
    return { ...ref, ...(version ? { version } : {}), values: () => values };
  }
  throw new BootstrapError(
    'config',
    `Unknown ingress controller '${String(choice)}'. Expected one of: ${INGRESS_CHOICES.join(', ')} (or a custom chart).`,
  );
}

export function certManagerValues(): Record<string, unknown> {
  return {
    crds: { enabled: true, keep: true },
    // The webhook must be up before the ClusterIssuer is created; --wait covers the Deployments.
    startupapicheck: { enabled: true },
  };
}

export function traefikValues(
  provider: CloudProvider,
  className = TRAEFIK.className,
): Record<string, unknown> {
  return {
    ingressClass: { enabled: true, isDefaultClass: true, name: className },
    providers: {
      kubernetesIngress: { enabled: true, publishedService: { enabled: true } },
      kubernetesCRD: { enabled: true },
    },
    service: {
      type: 'LoadBalancer',
      // EKS without the AWS Load Balancer Controller: the in-tree controller creates an NLB with this annotation.
      annotations:
        provider === 'aws'
          ? {
              'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
              'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
            }
          : {},
    },
  };
}

/** The default storage class Beta9's volumes use instead of the chart's `local-path` (absent on EKS and GKE). */
export function storageClassFor(provider: CloudProvider): string {
  return provider === 'aws' ? 'gp3' : 'standard-rwo';
}

export const CLUSTER_ISSUER = 'beta9-letsencrypt';
export const LETSENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

export function clusterIssuer(email: string, ingressClassName: string, server = LETSENCRYPT_PRODUCTION) {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: CLUSTER_ISSUER },
    spec: {
      acme: {
        server,
        email,
        privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName } } }],
      },
    },
  };
}

export interface Beta9ValuesInput {
  provider: CloudProvider;
  database: { host: string; port: number; username: string; password: string; name: string };
  redis: { host: string; port: number };
  /** Per-environment key for Beta9's encrypted columns (the chart's default is a public constant). */
  encryptionKey: string;
  storageClass: string;
  /** Set when the environment has a domain: ingress + TLS through cert-manager. */
  ingress?: { domain: string; className: string; clusterIssuer: string };
}

const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

function checkHost(host: string, what: string): string {
  // The host is interpolated into the init container's shell script: allow only hostname characters.
  if (!HOST_RE.test(host)) {
    throw new BootstrapError(
      'config',
      `${what} '${host}' is not a hostname or IP address.`,
      'Check the Terraform outputs.',
    );
  }
  return host;
}

/** The wait-on-backends script: waits (bounded) for the managed database and Redis instead of the chart's in-cluster services. */
export function waitOnBackendsScript(
  db: { host: string; port: number },
  redis: { host: string; port: number },
): string {
  const wait = (label: string, host: string, port: number) =>
    [
      `i=0; until nc -z -w 3 ${host} ${port}; do`,
      `  i=$((i+1)); if [ "$i" -ge 60 ]; then echo "${label} at ${host}:${port} is unreachable after 5 minutes: check security groups / authorized networks"; exit 1; fi`,
      `  echo "Waiting on ${label} at ${host}:${port}..."; sleep 5;`,
      'done;',
    ].join('\n');
  return [
    wait('PostgreSQL', checkHost(db.host, 'database host'), db.port),
    wait('Redis', checkHost(redis.host, 'Redis host'), redis.port),
    wait('Redis (JuiceFS)', 'juicefs-redis-master', 6379),
    'echo "All systems ready!"',
  ].join('\n');
}

export function beta9Values(input: Beta9ValuesInput): Record<string, unknown> {
  const { provider, database, redis, encryptionKey, storageClass, ingress } = input;
  const values: Record<string, unknown> = {
    // Managed PostgreSQL and Redis replace the chart's in-cluster ones.
    postgresql: { enabled: false },
    redis: { enabled: false },
    config: {
      database: {
        postgres: {
          host: checkHost(database.host, 'database host'),
          port: database.port,
          username: database.username,
          password: database.password,
          name: database.name,
          timezone: 'UTC',
          encryptionKey,
          // RDS and Cloud SQL are reached over TLS.
          enableTLS: true,
        },
        redis: {
          mode: 'single',
          addrs: [`${checkHost(redis.host, 'Redis host')}:${redis.port}`],
          password: '',
          // ElastiCache and Memorystore are created with in-transit encryption.
          enableTLS: true,
          // Memorystore presents a certificate from a per-instance Google CA that Beta9 cannot be given.
          insecureSkipVerify: provider === 'gcp',
        },
      },
      ...(ingress
        ? { gateway: { http: { externalHost: ingress.domain, externalPort: 443, tls: true } } }
        : {}),
    },
    controllers: {
      gateway: {
        initContainers: {
          // The chart's default waits for postgresql:5432 and redis-master:6379 in the cluster, forever.
          'wait-on-backends': {
            image: { repository: 'busybox', tag: '1.37.0' },
            command: ['sh', '-c', waitOnBackendsScript(database, redis)],
          },
        },
      },
    },
    persistence: { images: { storageClass } },
    // JuiceFS metadata stays in an in-cluster Redis; it needs a real storage class too.
    'juicefs-redis': { master: { persistence: { storageClass } } },
  };
  if (ingress) {
    values.ingress = {
      gateway: {
        enabled: true,
        className: ingress.className,
        annotations: { 'cert-manager.io/cluster-issuer': ingress.clusterIssuer },
        hosts: [
          {
            host: ingress.domain,
            paths: [{ path: '/', pathType: 'Prefix', service: { name: 'gateway', port: 1994 } }],
          },
        ],
        tls: [{ secretName: 'beta9-gateway-tls', hosts: [ingress.domain] }],
      },
    };
  }
  return values;
}
