import type { LockInfo, TerraformFailure, TerraformRunner } from './types.js';

export const DEFAULT_STALE_LOCK_AGE_MS = 60 * 60_000;

export interface StaleLockOptions {
  /** Locks younger than this are left alone (default 1 hour). */
  maxAgeMs?: number;
  now?: () => Date;
  /** Told what was decided and why, every time. */
  log?: (message: string) => void;
}

export type StaleLockResult =
  | { action: 'unlocked'; lockId: string; ageMs: number; message: string }
  | { action: 'kept'; lockId: string; ageMs?: number; message: string }
  | { action: 'failed'; lockId: string; ageMs: number; message: string; failure: TerraformFailure };

/**
 * Releases a state lock only when it is older than `maxAgeMs`. Call it explicitly (a command
 * or workflow input that says so); nothing in the runner unlocks on its own. Every outcome,
 * including leaving the lock alone, is reported through `log` and the result.
 */
export async function recoverStaleLock(
  runner: TerraformRunner,
  lock: LockInfo,
  opts: StaleLockOptions = {},
): Promise<StaleLockResult> {
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_STALE_LOCK_AGE_MS;
  const now = (opts.now ?? (() => new Date()))();
  const log = opts.log ?? (() => undefined);
  const holder = `${lock.who ?? 'an unknown holder'}${lock.operation ? ` (${lock.operation})` : ''}`;
  if (!lock.createdAt) {
    const message = `Kept state lock ${lock.id} held by ${holder}: its creation time ${lock.created ? `"${lock.created}" ` : ''}cannot be read, so its age is unknown. Release it by hand with force-unlock if no run is using it.`;
    log(message);
    return { action: 'kept', lockId: lock.id, message };
  }
  const ageMs = now.getTime() - new Date(lock.createdAt).getTime();
  if (ageMs < maxAgeMs) {
    const message = `Kept state lock ${lock.id} held by ${holder}: it is ${formatAge(ageMs)} old, younger than the ${formatAge(maxAgeMs)} stale threshold; the run holding it may still be working.`;
    log(message);
    return { action: 'kept', lockId: lock.id, ageMs, message };
  }
  log(
    `Force-unlocking state lock ${lock.id} held by ${holder} since ${lock.createdAt} (${formatAge(ageMs)} old, threshold ${formatAge(maxAgeMs)}).`,
  );
  const r = await runner.forceUnlock(lock.id);
  if (!r.ok) {
    const message = `Could not release state lock ${lock.id}: ${r.failure.message}`;
    log(message);
    return { action: 'failed', lockId: lock.id, ageMs, message, failure: r.failure };
  }
  const message = `Released stale state lock ${lock.id} held by ${holder} since ${lock.createdAt} (${formatAge(ageMs)} old).`;
  log(message);
  return { action: 'unlocked', lockId: lock.id, ageMs, message };
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}
