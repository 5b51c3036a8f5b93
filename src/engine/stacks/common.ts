/**
 * Facts both clouds' stacks share. Kept free of provider bindings so that importing them from a GCP
 * construct does not pull AWS bindings into its chunk (and the other way round).
 */

export const POSTGRES_PORT = 5432;
/** The database and the user Beta9 connects as. */
export const DATABASE_NAME = 'beta9';
export const DATABASE_USER = 'beta9';

export const REDIS_PORT = 6379;
/** Beta9 listens for key-space events (container state, task expiry); without them it stalls. */
export const KEYSPACE_EVENTS = 'AKE';

/** The label every Beta9 node carries, so workloads can target a pool. */
export const POOL_LABEL = 'beta9.io/pool';
/** The label GPU nodes carry, naming their GPU type. */
export const GPU_LABEL = 'beta9.io/gpu';
/** The taint on GPU nodes: only pods that tolerate it (Beta9's GPU workers) land there. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' } as const;

/** `16.4` or `16` → `16`: the major version names the parameter-group family and the Cloud SQL version. */
export function postgresMajor(engineVersion: string): string {
  const major = /^(\d+)(?:\.\d+)*$/.exec(engineVersion)?.[1];
  if (!major) {
    throw new Error(
      `Invalid PostgreSQL engine version '${engineVersion}'. Expected a form like '16' or '16.4'.`,
    );
  }
  return major;
}
