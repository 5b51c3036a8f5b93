import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);
import {
  WEBHOOK_PATH,
  createLogger,
  createServer
} from "./chunk-PKUTBMKW.js";
import "./chunk-6BQZ7LGK.js";
import "./chunk-GLYBSFMU.js";
import "./chunk-LRYD2BFO.js";
export {
  WEBHOOK_PATH,
  createLogger,
  createServer
};
