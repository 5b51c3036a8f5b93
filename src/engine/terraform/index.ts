export * from './types.js';
export {
  createTerraformRunner,
  backendConfig,
  publicOutputs,
  parseUiLine,
  DEFAULT_TIMEOUTS_MS,
  type TerraformRunnerOptions,
} from './runner.js';
export { spawnExec } from './exec.js';
export {
  classifyFailure,
  parseLockInfo,
  parseGoTime,
  diagnosticsFromText,
  stripBox,
  type ClassifyInput,
} from './classify.js';
export {
  recoverStaleLock,
  DEFAULT_STALE_LOCK_AGE_MS,
  type StaleLockOptions,
  type StaleLockResult,
} from './lock.js';
