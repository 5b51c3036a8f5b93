import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  GCP_OUTPUTS,
  buildGcpStack
} from "./chunk-R7FIN5ZE.js";
import "./chunk-2N33DVQK.js";
import "./chunk-LRYD2BFO.js";
export {
  GCP_OUTPUTS,
  buildGcpStack
};
