const __beta9ModuleUrl = require("node:url").pathToFileURL(__filename).href;
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/cli/index.ts
var import_node_path2 = require("node:path");
var import_node_url = require("node:url");

// src/cli/io.ts
function processIo() {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env
  };
}

// src/cli/code-cache.ts
var import_node_fs = require("node:fs");
var import_node_module = require("node:module");
var import_node_os = require("node:os");
var import_node_path = require("node:path");
var import_node_vm = require("node:vm");
function cacheDir(env = process.env) {
  if (env.BETA9_CACHE_DIR) return env.BETA9_CACHE_DIR;
  return (0, import_node_path.join)(env.XDG_CACHE_HOME || (0, import_node_path.join)((0, import_node_os.homedir)(), ".cache"), "beta9-provisioner");
}
var MODULE_WRAPPER = [
  "(function (exports, require, module, __filename, __dirname) {",
  "\n})"
];
function loadWithCodeCache(file, dir = cacheDir()) {
  const source = (0, import_node_fs.readFileSync)(file, "latin1");
  const cacheFile = (0, import_node_path.join)(dir, `${(0, import_node_path.basename)(file)}-${process.version}-${process.arch}.v8cache`);
  let cachedData;
  try {
    cachedData = (0, import_node_fs.readFileSync)(cacheFile);
  } catch {
    cachedData = void 0;
  }
  const [open, close] = MODULE_WRAPPER;
  const script = new import_node_vm.Script(source.startsWith(open) ? source : `${open}${source}${close}`, {
    filename: file,
    cachedData
  });
  const fromCache = cachedData !== void 0 && !script.cachedDataRejected;
  const module2 = { exports: {} };
  const run = script.runInThisContext();
  run(module2.exports, (0, import_node_module.createRequire)(file), module2, file, (0, import_node_path.dirname)(file));
  return {
    exports: module2.exports,
    fromCache,
    save() {
      if (fromCache) return;
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        (0, import_node_fs.mkdirSync)(dir, { recursive: true });
        (0, import_node_fs.writeFileSync)(temp, script.createCachedData());
        (0, import_node_fs.renameSync)(temp, cacheFile);
        pruneCaches(dir, file);
      } catch {
        try {
          (0, import_node_fs.rmSync)(temp, { force: true });
        } catch {
        }
      }
    }
  };
}
var CACHES_KEPT = 4;
function pruneCaches(dir, file) {
  const bundle = /^(.+)-[A-Z0-9]+\.cjs$/.exec((0, import_node_path.basename)(file))?.[1];
  if (bundle === void 0) return;
  const mine = (name) => name.startsWith(`${bundle}-`) && /^-[A-Z0-9]+\.cjs-.+\.v8cache$/.test(name.slice(bundle.length));
  const caches = (0, import_node_fs.readdirSync)(dir).filter(mine).map((name) => ({ name, mtime: (0, import_node_fs.statSync)((0, import_node_path.join)(dir, name)).mtimeMs })).sort((a, b) => b.mtime - a.mtime);
  for (const { name } of caches.slice(CACHES_KEPT)) (0, import_node_fs.rmSync)((0, import_node_path.join)(dir, name), { force: true });
}
function findBundle(dir, name, env = process.env) {
  if (env.BETA9_CODE_CACHE === "0") return void 0;
  const pattern = new RegExp(`^${name}-[A-Z0-9]+\\.cjs$`);
  for (const folder of [dir, (0, import_node_path.dirname)(dir)]) {
    let names;
    try {
      names = (0, import_node_fs.readdirSync)(folder);
    } catch {
      continue;
    }
    const found = names.find((n) => pattern.test(n));
    if (found) return (0, import_node_path.join)(folder, found);
  }
  return void 0;
}

// src/cli/synth-bundles.ts
function loadSynthCommandBundle(dir) {
  const bundle = findBundle(dir, "synth-command");
  if (bundle === void 0) return void 0;
  try {
    return loadWithCodeCache(bundle);
  } catch {
    return void 0;
  }
}

// src/cli/types.ts
var EXIT_OK = 0;

// src/cli/index.ts
async function main(argv, io) {
  if (argv[0] === "synth") {
    const dir = (0, import_node_path2.dirname)((0, import_node_url.fileURLToPath)(__beta9ModuleUrl));
    const bundle = loadSynthCommandBundle(dir);
    if (bundle !== void 0) {
      const code = await bundle.exports.runSynth(argv, io, dir);
      if (code === EXIT_OK) bundle.save();
      return code;
    }
  }
  const { runCli } = await import("./cli.js");
  return runCli(argv, io);
}
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`beta9-provisioner: ${error instanceof Error ? error.message : String(error)}
`);
    process.exitCode = 1;
  }
);
