import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  WEBHOOK_PATH,
  createLogger,
  createServer
} from "./chunk-MDSAVDUP.js";
import "./chunk-SNZ276Q5.js";
import "./chunk-GLYBSFMU.js";
import "./chunk-LRYD2BFO.js";
export {
  WEBHOOK_PATH,
  createLogger,
  createServer
};
