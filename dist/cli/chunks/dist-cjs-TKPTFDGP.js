import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  require_dist_cjs
} from "./chunk-CCJS6O6W.js";
import "./chunk-EB4GIYBT.js";
import "./chunk-ZUMQYZVC.js";
import "./chunk-LRYD2BFO.js";
export default require_dist_cjs();
