export {
  parseEnvironment,
  stemOf,
  MAX_FILE_BYTES,
  MAX_TOKENS,
  MAX_DEPTH,
  MAX_ALIAS_COUNT,
  MAX_PROBLEMS,
  type ParseResult,
} from './parse.js';
export {
  validateFiles,
  expandPaths,
  findEnvironmentFiles,
  readFileLimited,
  type ReadFile,
  type FileResult,
  type OversizedFile,
} from './files.js';
export { ENVIRONMENT_SCHEMA } from './schema.js';
export { AWS_REGIONS, GCP_REGIONS, REGIONS, AWS_GPU_TYPES, GCP_GPU_TYPES, GPU_TYPES } from './regions.js';
export { RESERVED_TAG_KEYS } from './rules.js';
export { formatDiagnostic } from './types.js';
export type * from './types.js';
