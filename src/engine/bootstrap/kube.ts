/**
 * Kubernetes API calls the bootstrap makes, each idempotent: wait for Ready nodes, and
 * create-or-replace namespaces, Secrets, the gp3 StorageClass and the ACME ClusterIssuer.
 */
import type { CoreV1Api, CustomObjectsApi, StorageV1Api, V1Node, V1Secret } from '@kubernetes/client-node';
import { BootstrapError, systemClock, type Clock } from './types.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'beta9-provisioner' };

/** The HTTP status of a client-node ApiException, if that is what `err` is. */
export function kubeStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function kubeMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      // fall through
    }
    if (body) return body.slice(0, 300);
  } else if (body && typeof body === 'object' && 'message' in body) {
    return String((body as { message: unknown }).message);
  }
  return (err as Error).message ?? String(err);
}

/** Maps any error from a Kubernetes call to a classified BootstrapError. */
export function kubeError(err: unknown, what: string): BootstrapError {
  if (err instanceof BootstrapError) return err;
  const status = kubeStatus(err);
  const message = kubeMessage(err);
  if (status === 401 || status === 403) {
    return new BootstrapError(
      'credentials',
      `${what}: the Kubernetes API refused the credentials (HTTP ${status}): ${message}`,
      'On EKS, grant the provisioner role cluster-admin through an access entry; on GKE, give the service account roles/container.admin.',
    );
  }
  if (status !== undefined && (status >= 500 || status === 429)) {
    return new BootstrapError(
      'kube_unreachable',
      `${what}: the Kubernetes API answered HTTP ${status}: ${message}`,
    );
  }
  if (status !== undefined) {
    return new BootstrapError('unknown', `${what}: the Kubernetes API answered HTTP ${status}: ${message}`);
  }
  return new BootstrapError(
    'kube_unreachable',
    `${what}: the Kubernetes API is unreachable: ${message}`,
    'Check that the cluster endpoint is reachable from the runner (public endpoint or a runner inside the VPC).',
  );
}

export function isNodeReady(node: V1Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export interface WaitForNodesOptions {
  minReady: number;
  timeoutMs: number;
  intervalMs: number;
  clock?: Clock;
  /** Progress lines ("2/3 nodes Ready"). */
  onProgress?: (line: string) => void;
}

/**
 * Polls listNode until at least `minReady` nodes report Ready=True. Transient API errors
 * (unreachable, 5xx) are retried until the deadline; refused credentials fail at once.
 */
export async function waitForNodes(
  coreApi: Pick<CoreV1Api, 'listNode'>,
  options: WaitForNodesOptions,
): Promise<{ ready: number; total: number }> {
  const { minReady, timeoutMs, intervalMs, clock = systemClock, onProgress } = options;
  const deadline = clock.now() + timeoutMs;
  let last = { ready: 0, total: 0 };
  let lastError: BootstrapError | undefined;
  let lastLine = '';
  for (;;) {
    try {
      const list = await coreApi.listNode();
      const items = list.items ?? [];
      last = { ready: items.filter(isNodeReady).length, total: items.length };
      lastError = undefined;
      const line = `${last.ready}/${minReady} nodes Ready (${last.total} registered)`;
      if (line !== lastLine) onProgress?.(line);
      lastLine = line;
      if (last.ready >= minReady) return last;
    } catch (err) {
      lastError = kubeError(err, 'listing nodes');
      if (!lastError.retryable) throw lastError;
      onProgress?.(`waiting for the Kubernetes API: ${lastError.message}`);
    }
    if (clock.now() + intervalMs > deadline) break;
    await clock.sleep(intervalMs);
  }
  if (lastError) {
    throw new BootstrapError(
      'kube_unreachable',
      `The Kubernetes API did not answer within ${Math.round(timeoutMs / 1000)} s: ${lastError.message}`,
      lastError.nextStep ?? 'Re-run bootstrap once the cluster endpoint answers.',
    );
  }
  throw new BootstrapError(
    'nodes_not_ready',
    `Only ${last.ready} of the ${minReady} required nodes became Ready within ${Math.round(timeoutMs / 1000)} s (${last.total} registered).`,
    'Check the node group in the cloud console (capacity, quotas, subnet IPs), then re-run bootstrap.',
  );
}

/** Creates a namespace if it is missing. Returns whether it was created. */
export async function ensureNamespace(
  core: Pick<CoreV1Api, 'readNamespace' | 'createNamespace'>,
  name: string,
): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return false;
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading namespace ${name}`);
  }
  try {
    await core.createNamespace({
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...MANAGED_BY } } },
    });
    return true;
  } catch (err) {
    if (kubeStatus(err) === 409) return false; // created concurrently: fine
    throw kubeError(err, `creating namespace ${name}`);
  }
}

/** Reads a Secret's data (decoded), or undefined when it does not exist. */
export async function readSecret(
  core: Pick<CoreV1Api, 'readNamespacedSecret'>,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  let secret: V1Secret;
  try {
    secret = await core.readNamespacedSecret({ namespace, name });
  } catch (err) {
    if (kubeStatus(err) === 404) return undefined;
    throw kubeError(err, `reading Secret ${namespace}/${name}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

/**
 * Creates the Secret, or replaces it when it exists (so a rotated password lands on re-run).
 * Returns 'created' | 'replaced'. Error messages never include the data.
 */
export async function upsertSecret(
  core: Pick<CoreV1Api, 'readNamespacedSecret' | 'createNamespacedSecret' | 'replaceNamespacedSecret'>,
  namespace: string,
  name: string,
  data: Record<string, string>,
): Promise<'created' | 'replaced'> {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) encoded[k] = Buffer.from(v, 'utf8').toString('base64');
  const body = (resourceVersion?: string): V1Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels: { ...MANAGED_BY }, ...(resourceVersion ? { resourceVersion } : {}) },
    data: encoded,
  });
  let existing: V1Secret | undefined;
  try {
    existing = await core.readNamespacedSecret({ namespace, name });
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading Secret ${namespace}/${name}`);
  }
  try {
    if (!existing) {
      await core.createNamespacedSecret({ namespace, body: body() });
      return 'created';
    }
    await core.replaceNamespacedSecret({ namespace, name, body: body(existing.metadata?.resourceVersion) });
    return 'replaced';
  } catch (err) {
    // Do not echo the request: kubeError only reads the API's Status message.
    throw kubeError(err, `writing Secret ${namespace}/${name}`);
  }
}

/** An encrypted gp3 StorageClass for the EBS CSI driver. StorageClass parameters are immutable, so an existing one is left alone. */
export async function ensureGp3StorageClass(
  storage: Pick<StorageV1Api, 'readStorageClass' | 'createStorageClass'>,
  name = 'gp3',
): Promise<boolean> {
  try {
    await storage.readStorageClass({ name });
    return false;
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading StorageClass ${name}`);
  }
  try {
    await storage.createStorageClass({
      body: {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name, labels: { ...MANAGED_BY } },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', fsType: 'ext4' },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      },
    });
    return true;
  } catch (err) {
    if (kubeStatus(err) === 409) return false;
    throw kubeError(err, `creating StorageClass ${name}`);
  }
}

/** Creates or replaces a cluster-scoped cert-manager ClusterIssuer. */
export async function upsertClusterIssuer(
  custom: Pick<
    CustomObjectsApi,
    'getClusterCustomObject' | 'createClusterCustomObject' | 'replaceClusterCustomObject'
  >,
  issuer: { metadata: { name: string }; [k: string]: unknown },
): Promise<'created' | 'replaced'> {
  const ref = { group: 'cert-manager.io', version: 'v1', plural: 'clusterissuers' };
  const name = issuer.metadata.name;
  let existing: { metadata?: { resourceVersion?: string } } | undefined;
  try {
    existing = (await custom.getClusterCustomObject({ ...ref, name })) as typeof existing;
  } catch (err) {
    if (kubeStatus(err) !== 404) throw kubeError(err, `reading ClusterIssuer ${name}`);
  }
  try {
    if (!existing) {
      await custom.createClusterCustomObject({ ...ref, body: issuer });
      return 'created';
    }
    const body = {
      ...issuer,
      metadata: { ...issuer.metadata, resourceVersion: existing.metadata?.resourceVersion },
    };
    await custom.replaceClusterCustomObject({ ...ref, name, body });
    return 'replaced';
  } catch (err) {
    throw kubeError(err, `writing ClusterIssuer ${name}`);
  }
}
