import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  WEBHOOK_PATH,
  createLogger,
  createServer
} from "./chunk-W66BLZ66.js";
import "./chunk-7IJ2YBFV.js";
import "./chunk-PRFQ4FV4.js";
import "./chunk-LRYD2BFO.js";
export {
  WEBHOOK_PATH,
  createLogger,
  createServer
};
