/**
 * GKE access without gcloud: an OAuth access token from google-auth-library, and the
 * endpoint and CA from the cluster resource (container.googleapis.com v1
 * projects.locations.clusters.get).
 */
import { BootstrapError } from './types.js';
import type { KubeTarget } from './kubeconfig.js';

/**
 * The part of google-auth-library the bootstrap uses: `GoogleAuth` (resolves to a string) and
 * `AuthClient`/`Impersonated` (resolve to `{ token }`) both fit.
 */
export interface GcpTokenSource {
  getAccessToken(): Promise<string | null | undefined | { token?: string | null }>;
}

export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export const CONTAINER_API = 'https://container.googleapis.com/v1';

export async function gcpAccessToken(auth: GcpTokenSource): Promise<string> {
  let result;
  try {
    result = await auth.getAccessToken();
  } catch (err) {
    throw new BootstrapError(
      'credentials',
      `Could not get a GCP access token: ${(err as Error).message}`,
      'Check the workload identity federation setup and the service_account in the environment file.',
    );
  }
  const token = typeof result === 'string' ? result : result?.token;
  if (!token) throw new BootstrapError('credentials', 'google-auth-library returned no access token.');
  return token;
}

/** GET a Google API resource with a bearer token; maps HTTP failures to bootstrap failure classes. */
export async function googleGet(
  fetchImpl: FetchLike,
  url: string,
  token: string,
  what: string,
): Promise<unknown> {
  let res;
  try {
    res = await fetchImpl(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
  } catch (err) {
    throw new BootstrapError('network', `${what}: request failed: ${(err as Error).message}`);
  }
  if (res.ok) return res.json();
  const body = (await res.text().catch(() => '')).slice(0, 500);
  let message = body;
  try {
    message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
  } catch {
    // Not JSON: keep the text.
  }
  if (res.status === 401 || res.status === 403) {
    throw new BootstrapError('credentials', `${what}: permission denied (HTTP ${res.status}): ${message}`);
  }
  if (res.status === 404) throw new BootstrapError('config', `${what}: not found (HTTP 404): ${message}`);
  throw new BootstrapError(
    res.status >= 500 || res.status === 429 ? 'network' : 'unknown',
    `${what}: HTTP ${res.status}: ${message}`,
  );
}

interface GkeCluster {
  endpoint?: string;
  status?: string;
  masterAuth?: { clusterCaCertificate?: string };
}

export async function gkeKubeTarget(
  deps: { auth: GcpTokenSource; fetch: FetchLike },
  project: string,
  location: string,
  cluster: string,
): Promise<KubeTarget> {
  const token = await gcpAccessToken(deps.auth);
  const url = `${CONTAINER_API}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/clusters/${encodeURIComponent(cluster)}`;
  const c = (await googleGet(
    deps.fetch,
    url,
    token,
    `GKE cluster ${project}/${location}/${cluster}`,
  )) as GkeCluster;
  if (!c.endpoint || !c.masterAuth?.clusterCaCertificate) {
    throw new BootstrapError(
      'kube_unreachable',
      `GKE cluster '${cluster}' has no endpoint or CA yet (status ${c.status ?? 'unknown'}).`,
      'Wait until the cluster is RUNNING, then re-run bootstrap.',
    );
  }
  return {
    name: cluster,
    server: c.endpoint.startsWith('https://') ? c.endpoint : `https://${c.endpoint}`,
    caData: c.masterAuth.clusterCaCertificate,
    token,
  };
}
