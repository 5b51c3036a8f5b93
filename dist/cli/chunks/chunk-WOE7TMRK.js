import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);

// src/engine/stacks/common.ts
var POSTGRES_PORT = 5432;
var DATABASE_NAME = "beta9";
var DATABASE_USER = "beta9";
var REDIS_PORT = 6379;
var KEYSPACE_EVENTS = "AKE";
var POOL_LABEL = "beta9.io/pool";
var GPU_LABEL = "beta9.io/gpu";
var GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" };
function postgresMajor(engineVersion) {
  const major = /^(\d+)(?:\.\d+)*$/.exec(engineVersion)?.[1];
  if (!major) {
    throw new Error(
      `Invalid PostgreSQL engine version '${engineVersion}'. Expected a form like '16' or '16.4'.`
    );
  }
  return major;
}

export {
  POSTGRES_PORT,
  DATABASE_NAME,
  DATABASE_USER,
  REDIS_PORT,
  KEYSPACE_EVENTS,
  POOL_LABEL,
  GPU_LABEL,
  GPU_TAINT,
  postgresMajor
};
