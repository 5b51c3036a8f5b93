import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  AWS_OUTPUTS,
  buildAwsStack
} from "./chunk-BSGZCGIP.js";
import "./chunk-D5DFJARQ.js";
import "./chunk-LRYD2BFO.js";
export {
  AWS_OUTPUTS,
  buildAwsStack
};
