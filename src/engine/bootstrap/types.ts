/**
 * Shared shapes of the cluster bootstrap: failure classes, the outcome value, and the
 * side-effect interfaces (reporter, logger, clock) that callers pass in.
 */

/**
 * Why a bootstrap step failed. `retryable` classes are worth re-running unchanged
 * (network, a slow rollout); the others need a change by a person first.
 */
export type BootstrapFailureClass =
  | 'config' // the outputs or the environment file lack something the bootstrap needs
  | 'credentials' // cloud or cluster credentials were refused
  | 'secret' // the database password could not be read from Secrets Manager / Secret Manager
  | 'kube_unreachable' // the Kubernetes API did not answer
  | 'nodes_not_ready' // not enough Ready nodes before the deadline
  | 'timeout' // helm --wait ran out of time (the release was rolled back: --atomic)
  | 'network' // a chart could not be pulled, or another transient network error
  | 'release_locked' // another helm operation is in progress on the release
  | 'release_failed' // helm refused or rolled back the release; its message says why
  | 'unknown'; // a bug or an unexpected answer: report it

export const RETRYABLE_CLASSES: ReadonlySet<BootstrapFailureClass> = new Set([
  'kube_unreachable',
  'nodes_not_ready',
  'timeout',
  'network',
]);

/** An expected failure, carrying its class and the next step a reader can take. */
export class BootstrapError extends Error {
  readonly failureClass: BootstrapFailureClass;
  readonly nextStep?: string;
  constructor(failureClass: BootstrapFailureClass, message: string, nextStep?: string) {
    super(message);
    this.name = 'BootstrapError';
    this.failureClass = failureClass;
    this.nextStep = nextStep;
  }
  get retryable(): boolean {
    return RETRYABLE_CLASSES.has(this.failureClass);
  }
}

export type BootstrapPhase =
  | 'kubeconfig'
  | 'nodes'
  | 'namespaces'
  | 'secrets'
  | 'storage'
  | 'cert-manager'
  | 'cluster-issuer'
  | 'ingress'
  | 'beta9';

export interface PhaseTiming {
  phase: BootstrapPhase;
  seconds: number;
}

/** What one bootstrap run ended with. Renderers and reporters read this; nothing throws past it. */
export type BootstrapOutcome =
  | {
      ok: true;
      releases: ReleaseSummary[];
      timings: PhaseTiming[];
      /** The gateway's public URL when a domain is set. */
      gatewayUrl?: string;
    }
  | {
      ok: false;
      phase: BootstrapPhase;
      failureClass: BootstrapFailureClass;
      retryable: boolean;
      message: string;
      nextStep: string;
      timings: PhaseTiming[];
    };

/** The non-secret facts of one Helm release (helm's `config` and `manifest` are dropped). */
export interface ReleaseSummary {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  description?: string;
}

/** Receives phase transitions; the Action maps them to deployment statuses and log groups. */
export interface BootstrapReporter {
  phaseStarted(phase: BootstrapPhase, detail: string): void;
  phaseFinished(phase: BootstrapPhase, seconds: number): void;
  /** One human-readable line. Already redacted by the caller. */
  log(line: string): void;
}

export const nullReporter: BootstrapReporter = {
  phaseStarted: () => undefined,
  phaseFinished: () => undefined,
  log: () => undefined,
};

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
