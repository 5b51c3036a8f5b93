import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  AWS_OUTPUTS,
  buildAwsStack
} from "./chunk-FBZJ7A6D.js";
import "./chunk-2N33DVQK.js";
import "./chunk-LRYD2BFO.js";
export {
  AWS_OUTPUTS,
  buildAwsStack
};
