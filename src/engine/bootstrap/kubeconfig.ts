/**
 * A KubeConfig built in memory from an endpoint, a CA and a bearer token: no kubeconfig file,
 * no exec plugin, no cloud CLI. Helm gets the same config serialised to a 0600 temp file
 * (see helm.ts) that is removed after each command.
 */
import { KubeConfig } from '@kubernetes/client-node';

/** Where a cluster is and how to authenticate to it. `token` is a secret. */
export interface KubeTarget {
  name: string;
  /** https URL (EKS gives one; GKE gives a bare IP, which gkeKubeTarget prefixes). */
  server: string;
  /** Base64-encoded PEM of the cluster CA. */
  caData: string;
  token: string;
}

export interface BuildKubeConfigOptions extends KubeTarget {
  /**
   * Only for tests against a plain-http fake API server: honoured for `http://` servers only,
   * so an https endpoint always verifies its CA whatever a caller passes.
   */
  skipTLSVerify?: boolean;
}

export function buildKubeConfig(options: BuildKubeConfigOptions): KubeConfig {
  const { name, server, caData, token } = options;
  const skipTLSVerify = options.skipTLSVerify === true && server.startsWith('http://');
  if (!/^https?:\/\//.test(server)) {
    throw new Error(`buildKubeConfig: server '${server}' is not a URL. Expected https://<host>[:port].`);
  }
  if (!token) throw new Error(`buildKubeConfig: the token for cluster '${name}' is empty.`);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server, caData: skipTLSVerify ? undefined : caData, skipTLSVerify }],
    users: [{ name: `${name}-user`, token }],
    contexts: [{ name, cluster: name, user: `${name}-user` }],
    currentContext: name,
  });
  return kc;
}

/** The kubeconfig as YAML, for helm. Contains the token: write it only to a 0600 file. */
export function kubeConfigYaml(options: BuildKubeConfigOptions): string {
  return buildKubeConfig(options).exportConfig();
}
