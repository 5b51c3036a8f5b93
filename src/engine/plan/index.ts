export * from './types.js';
export { parsePlanText } from './parse.js';
export {
  summarizePlan,
  foldActions,
  formatPath,
  KNOWN_AFTER_APPLY,
  type SummarizeOptions,
} from './summarize.js';
export {
  renderPlanMarkdown,
  renderJobSummary,
  COMMENT_LIMIT,
  JOB_SUMMARY_LIMIT,
  type EnvironmentPlan,
  type RenderOptions,
} from './markdown.js';
export {
  SENSITIVE,
  DEFAULT_NAME_PATTERNS,
  DEFAULT_VALUE_PATTERNS,
  defaultPatterns,
  buildPatterns,
  redactText,
  type RedactionPatterns,
} from './redact.js';
export { STATEFUL_TYPES, statefulKind } from './stateful.js';
