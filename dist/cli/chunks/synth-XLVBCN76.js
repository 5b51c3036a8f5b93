import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  newStack,
  renderStack,
  withoutStackTraces
} from "./chunk-4EKIOXD2.js";
import "./chunk-LRYD2BFO.js";

// src/engine/stacks/synth.ts
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
var STACK_FILE = "cdk.tf.json";
async function loadStackBuilder(provider) {
  switch (provider) {
    case "aws":
      return (await import("./stack-EWKJHULS.js")).buildAwsStack;
    case "gcp":
      return (await import("./stack-HUOTXFY2.js")).buildGcpStack;
    default:
      throw unknownProvider(provider);
  }
}
function unknownProvider(provider) {
  return new Error(`Unknown cloud provider '${String(provider)}'. Expected aws or gcp.`);
}
function renderModel(model, build) {
  return withoutStackTraces(() => {
    const stack = newStack(model.name);
    build(stack, model);
    return renderStack(stack);
  });
}
async function synthStack(model, outDir) {
  const json = renderModel(model, await loadStackBuilder(model.cloud.provider));
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, STACK_FILE);
  await writeFile(file, `${JSON.stringify(json, null, 2)}
`);
  return { file };
}
export {
  STACK_FILE,
  loadStackBuilder,
  renderModel,
  synthStack,
  unknownProvider
};
