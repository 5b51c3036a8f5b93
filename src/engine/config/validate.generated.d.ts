import type { ValidateFunction } from 'ajv/dist/2020.js';

/** The environment file v1 validator, compiled ahead of time by scripts/gen-validator.mjs. */
declare const validate: ValidateFunction;
export default validate;
export { validate };
