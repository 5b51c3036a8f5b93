import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  GCP_OUTPUTS,
  buildGcpStack
} from "./chunk-MXOCQ7TJ.js";
import "./chunk-D5DFJARQ.js";
import "./chunk-LRYD2BFO.js";
export {
  GCP_OUTPUTS,
  buildGcpStack
};
