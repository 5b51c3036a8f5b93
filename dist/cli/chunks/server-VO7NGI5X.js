import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  WEBHOOK_PATH,
  createLogger,
  createServer
} from "./chunk-3MI2KRYS.js";
import "./chunk-V2KDJLQG.js";
import "./chunk-W6VJJCRI.js";
import "./chunk-LRYD2BFO.js";
export {
  WEBHOOK_PATH,
  createLogger,
  createServer
};
