import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  WEBHOOK_PATH,
  createLogger,
  createServer
} from "./chunk-PBQWW65J.js";
import "./chunk-LAXPYZSO.js";
import "./chunk-3VCR5HNN.js";
import "./chunk-LRYD2BFO.js";
export {
  WEBHOOK_PATH,
  createLogger,
  createServer
};
