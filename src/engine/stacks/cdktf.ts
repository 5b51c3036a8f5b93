/**
 * The one module that imports CDKTF and constructs.
 *
 * CDKTF was deprecated upstream (2025-12-10); keeping every import of it here means a switch to
 * the community fork (`cdktn`) or to hand-written Terraform JSON touches this file only. Provider
 * bindings are imported elsewhere by deep path (`@cdktf/provider-aws/lib/<resource>/index.js`),
 * never through their package roots, which cost seconds and hundreds of megabytes to load.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import cdktfPackage from 'cdktf/package.json' with { type: 'json' };

export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';
export {
  App,
  Fn,
  GcsBackend,
  S3Backend,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  Testing,
  Token,
} from 'cdktf';
export type { ITerraformDependable, TerraformResource } from 'cdktf';

/**
 * A bare root for one stack. `App` would create `cdktf.out/` and a manifest on construction,
 * which an in-memory synth does not need; a stack only needs a root construct to live under.
 */
function newRoot(): Construct {
  // Casting `undefined` is how constructs spells "this is a root" (App does the same).
  const root = new Construct(undefined as unknown as Construct, '');
  // App sets this; stacks record it in their `//` metadata, as `cdktf synth` output does.
  root.node.setContext('cdktfVersion', cdktfPackage.version);
  return root;
}

/**
 * Runs `fn` with V8 stack-trace capture switched off. CDKTF records a full stack trace (with
 * `Error.stackTraceLimit` forced to the maximum) for every token it creates, only to print it if a
 * token later fails to resolve; for a whole environment that is about a fifth of the synth time.
 * V8 reads `Error.stackTraceLimit` as a data property only, so an accessor that ignores writes
 * disables capture; the original property is restored before returning. Errors thrown inside keep
 * their messages but carry no stack.
 */
export function withoutStackTraces<T>(fn: () => T): T {
  const original = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  if (!original || !original.configurable) return fn();
  Object.defineProperty(Error, 'stackTraceLimit', { configurable: true, get: () => 0, set: () => {} });
  try {
    return fn();
  } finally {
    Object.defineProperty(Error, 'stackTraceLimit', original);
  }
}

/** Creates an empty stack named `id` under its own root. */
export function newStack(id: string): TerraformStack {
  return new TerraformStack(newRoot(), id);
}

/**
 * Renders a stack to its Terraform JSON object: the work `cdktf synth` does for one stack,
 * without the manifest, the output directory or the CLI. Validations (every resource has a
 * provider, construct-level checks) still run and throw with the construct path.
 */
export function renderStack(stack: TerraformStack): Record<string, unknown> {
  stack.runAllValidations();
  return stack.toTerraform() as Record<string, unknown>;
}
