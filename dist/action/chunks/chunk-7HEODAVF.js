import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);

// src/engine/config/types.ts
function formatDiagnostic(d) {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

// src/engine/plan/redact.ts
var SENSITIVE = "(sensitive)";
var DEFAULT_NAME_PATTERNS = [
  /passw(or)?d/i,
  /^pass$/i,
  /passphrase/i,
  /secret/i,
  // `auth_token`, `session_token`; not `http_tokens` (an IMDS setting reviewers must see).
  /(^|[_-])token$/i,
  /^token[_-]?(value|secret)$/i,
  /private_?key/i,
  /access_?key/i,
  /api_?key/i,
  /client_?key/i,
  /credential/i,
  /auth_string/i,
  /user_data/i,
  /connection_string/i,
  /kubeconfig/i,
  /certificate_?key/i,
  /ssh_?key/i
];
var DEFAULT_VALUE_PATTERNS = [
  // AWS access key ids (long-term and temporary).
  /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/,
  // PEM private keys of any kind.
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
  // GitHub tokens.
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  // Google API keys and OAuth access tokens.
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /\bya29\.[0-9A-Za-z_-]{20,}/,
  // Credentials inside URLs: scheme://user:password@host.
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  // `password=...`, `secret: ...`, `AWS_SECRET_ACCESS_KEY=...` inside scripts and connection strings.
  // A colon only counts when the value follows directly (JSON), so prose such as
  // "ExpiredToken: The security token…" in an error message stays readable.
  /(passw(or)?d|secret|token|api_?key|access_?key)[A-Za-z_]*["']?(\s*=\s*|:)["']?[^\s"'$]{4,}/i,
  // A JWT.
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/
];
function defaultPatterns() {
  return { names: [...DEFAULT_NAME_PATTERNS], values: [...DEFAULT_VALUE_PATTERNS] };
}
function nameIsSensitive(name, patterns) {
  return patterns.names.some((re) => re.test(name));
}
function valueIsSensitive(value, patterns) {
  return patterns.values.some((re) => re.test(value));
}
function redactText(text, patterns = defaultPatterns()) {
  let out = text;
  for (const re of patterns.values) {
    const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
    out = out.replace(global, SENSITIVE);
  }
  return out;
}

// src/engine/terraform/classify.ts
var PATTERNS = [
  [
    "network",
    [
      /RequestLimitExceeded/,
      /Throttl(ing|ed)/i,
      /Rate exceeded/i,
      /TooManyRequests|StatusCode: 429|Error 429/
    ]
  ],
  [
    "quota",
    [
      /\w*LimitExceeded\b/,
      /\w*QuotaExceeded\b/i,
      /Quota '[^']+' exceeded/i,
      /quota (was |has been )?exceeded/i,
      /exceeded (the )?quota/i,
      /QUOTA_EXCEEDED|RESOURCE_EXHAUSTED/,
      /InsufficientInstanceCapacity|InsufficientFreeAddressesInSubnet/,
      /maximum number of [\w\s-]+ (has been|was) reached/i,
      /ZONE_RESOURCE_POOL_EXHAUSTED|GCE_STOCKOUT/
    ]
  ],
  [
    "credentials",
    [
      /AccessDenied(Exception)?/,
      /UnauthorizedOperation|UnrecognizedClientException|AuthFailure/,
      /ExpiredToken(Exception)?|token (included in the request )?is expired/i,
      /InvalidClientTokenId|SignatureDoesNotMatch|InvalidAccessKeyId/,
      /No valid credential sources found/i,
      /failed to refresh cached credentials/i,
      /NoCredentialProviders|no EC2 IMDS role found/i,
      /could not find default credentials/i,
      /application default credentials/i,
      /is not authorized to perform/i,
      /StatusCode: 40[13]\b|Error 40[13]\b|\b403 Forbidden\b|\b401 Unauthorized\b/,
      /permission denied|PERMISSION_DENIED|does not have [\w.]+ permission|IAM_PERMISSION_DENIED/i,
      /invalid_grant|Not authorized to impersonate|iam\.serviceAccounts\.getAccessToken/i,
      /Error assuming role|AssumeRoleWithWebIdentity|sts:AssumeRole/i
    ]
  ],
  [
    "network",
    [
      /Failed to query available provider packages/i,
      /Failed to install provider/i,
      /could not connect to [\w.-]+/i,
      /i\/o timeout|TLS handshake timeout|Client\.Timeout exceeded|context deadline exceeded/i,
      /connection (reset|refused)|broken pipe|EOF$|unexpected EOF/im,
      /no such host|temporary failure in name resolution|network is unreachable/i,
      /StatusCode: 5\d\d|Error 5\d\d|\b50[234] (Bad Gateway|Service Unavailable|Gateway Timeout)\b/,
      /ServiceUnavailable(Exception)?|InternalError|InternalFailure|backendError/,
      /request canceled|timeout while waiting for state/i
    ]
  ],
  [
    "config",
    [
      /Unsupported (argument|block type|attribute)/,
      /Missing required (argument|attribute)/,
      /Invalid (value|reference|expression|function|attribute|index|resource|template|JSON|character|backend configuration)/i,
      /Reference to undeclared/,
      /Incorrect attribute value type/,
      /No configuration files/,
      /Backend initialization required|Backend configuration changed/,
      /Module not installed|Required plugins are not installed|Inconsistent dependency lock file/,
      /Duplicate (resource|output|variable|provider)/,
      /Syntax error|Argument or block definition required/,
      /Instance cannot be destroyed/,
      /Cycle:/,
      /InvalidParameter(Value|Combination)?|ValidationException|InvalidRequest|Error 400/,
      /Saved plan is stale/,
      /Failed to load plan file|Failed to read the given file/,
      /flag provided but not defined/
    ]
  ]
];
var NEXT_STEP = {
  lock_held: "Another run holds the state lock. Wait for it to finish (see the running workflows of this environment). If no run is using it any more, release it with the stale-lock recovery (locks older than 1 hour) or `terraform force-unlock <ID>`.",
  credentials: "Check the cloud credentials: the role in `cloud.role_arn` must trust the GitHub OIDC provider of this repository and allow these actions (GCP: the runner must be allowed to impersonate `cloud.service_account`). Then re-run.",
  quota: "Raise the quota in the cloud console (AWS Service Quotas; GCP IAM & Admin > Quotas) or lower the sizes or `cluster.gpu.max_nodes` in the environment file, then re-run.",
  network: "A temporary provider or network error; re-run the job. If it keeps failing, check the provider status page.",
  config: "Fix the configuration error above. If it points at the environment file, run `beta9-provisioner validate`; if it points at the synthesised stack, report it with this message.",
  timeout: "The operation ran longer than its time limit and was stopped. Check the cloud console for resources still being created, release the state lock if it was left behind, raise the timeout if the operation is known to take longer, and re-run.",
  cancelled: "The run was cancelled while Terraform was working. Check for a state lock left behind and for half-created resources, then re-run.",
  unknown: "Unexpected Terraform failure: read the log of this run, then re-run or report it with the log."
};
function parseLockInfo(text) {
  const start = text.search(/Lock Info:/);
  if (start < 0) return void 0;
  const fields = {};
  for (const raw of text.slice(start).split("\n").slice(1)) {
    const line = raw.replace(/^[│|]\s?/, "");
    const m = /^\s+(ID|Path|Operation|Who|Version|Created|Info):\s*(.*)$/.exec(line);
    if (!m) {
      if (Object.keys(fields).length > 0 && line.trim() === "") break;
      continue;
    }
    fields[m[1]] = (m[2] ?? "").trim();
  }
  if (!fields.ID) return void 0;
  const lock = { id: fields.ID };
  if (fields.Path) lock.path = fields.Path;
  if (fields.Operation) lock.operation = fields.Operation;
  if (fields.Who) lock.who = fields.Who;
  if (fields.Version) lock.version = fields.Version;
  if (fields.Info) lock.info = fields.Info;
  if (fields.Created) {
    lock.created = fields.Created;
    const at = parseGoTime(fields.Created);
    if (at) lock.createdAt = at.toISOString();
  }
  return lock;
}
function parseGoTime(s) {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(s.trim());
  if (!m) return void 0;
  const frac = m[3] ? m[3].slice(0, 4).padEnd(4, "0") : "";
  let zone = m[4] ?? "Z";
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = /* @__PURE__ */ new Date(`${m[1]}T${m[2]}${frac}${zone}`);
  return Number.isNaN(d.getTime()) ? void 0 : d;
}
function classifyFailure(input) {
  const errors = input.diagnostics.filter((d) => d.severity === "error");
  const haystack = [...errors.map((d) => `${d.summary}
${d.detail}`), stripBox(input.text)].join("\n");
  const base = {
    operation: input.operation,
    exitCode: input.exitCode,
    diagnostics: redactDiagnostics(input.diagnostics)
  };
  if (input.spawnError) {
    const missing = input.spawnError.code === "ENOENT";
    return {
      ...base,
      class: "config",
      retryable: false,
      message: missing ? `\`${input.binary ?? "terraform"}\` was not found on PATH.` : `\`${input.binary ?? "terraform"}\` could not be started: ${input.spawnError.message}`,
      nextStep: missing ? "Install Terraform (>= 1.11) or OpenTofu (>= 1.8) on the runner (e.g. hashicorp/setup-terraform or opentofu/setup-opentofu), or choose the binary that is installed." : NEXT_STEP.unknown
    };
  }
  if (input.cancelled) {
    return {
      ...base,
      class: "cancelled",
      retryable: false,
      message: `terraform ${input.operation} was cancelled and stopped.`,
      nextStep: NEXT_STEP.cancelled
    };
  }
  if (input.timedOut) {
    const limit = input.timeoutMs !== void 0 ? ` (${formatMs(input.timeoutMs)})` : "";
    return {
      ...base,
      class: "timeout",
      retryable: false,
      message: `terraform ${input.operation} did not finish within its time limit${limit} and was stopped.`,
      nextStep: NEXT_STEP.timeout
    };
  }
  const lock = /Error acquiring the state lock|Error locking state|state lock/i.test(haystack) ? parseLockInfo(haystack) : void 0;
  if (lock || /Error acquiring the state lock/.test(haystack)) {
    const who = lock ? ` Held by ${lock.who ?? "an unknown holder"}${lock.operation ? ` for ${lock.operation.replace(/^OperationType/, "").toLowerCase()}` : ""}${lock.created ? ` since ${lock.createdAt ?? lock.created}` : ""} (lock ID ${lock.id}).` : "";
    return {
      ...base,
      class: "lock_held",
      retryable: false,
      message: `The state is locked by another operation.${who}`,
      nextStep: lock ? NEXT_STEP.lock_held.replace("<ID>", lock.id) : NEXT_STEP.lock_held,
      ...lock ? { lock } : {}
    };
  }
  const message = summarize(errors, input.text);
  for (const [cls, patterns] of PATTERNS) {
    if (patterns.some((re) => re.test(haystack))) {
      return { ...base, class: cls, retryable: cls === "network", message, nextStep: NEXT_STEP[cls] };
    }
  }
  return { ...base, class: "unknown", retryable: false, message, nextStep: NEXT_STEP.unknown };
}
function summarize(errors, text) {
  if (errors.length > 0) {
    const parts = errors.slice(0, 3).map((d) => {
      const detail = d.detail.trim();
      return `${d.summary}${d.address ? ` (${d.address})` : ""}${detail ? `: ${detail}` : ""}`;
    });
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more errors)` : "";
    return clip(redactText(parts.join("\n\n") + more), 2e3);
  }
  const lines = stripBox(text).split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
  const errorAt = lines.findIndex((l) => /^\s*Error:/.test(l));
  const tail = errorAt >= 0 ? lines.slice(errorAt, errorAt + 12) : lines.slice(-12);
  return clip(redactText(tail.join("\n")), 2e3) || "Terraform failed without printing an error.";
}
function redactDiagnostics(ds) {
  return ds.map((d) => ({ ...d, summary: redactText(d.summary), detail: redactText(d.detail) }));
}
function stripBox(text) {
  return text.split("\n").filter((l) => !/^[╷╵]\s*$/.test(l)).map((l) => l.replace(/^│ ?/, "")).join("\n");
}
function diagnosticsFromText(text) {
  const out = [];
  const lines = stripBox(text).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(Error|Warning): (.*)$/.exec(lines[i] ?? "");
    if (!m) continue;
    const detail = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*(Error|Warning): /.test(lines[j] ?? "")) detail.push(lines[j++] ?? "");
    out.push({
      severity: m[1] === "Error" ? "error" : "warning",
      summary: (m[2] ?? "").trim(),
      detail: detail.join("\n").trim()
    });
    i = j - 1;
  }
  return out;
}
function formatMs(ms) {
  if (ms % 6e4 === 0) return `${ms / 6e4} min`;
  if (ms % 1e3 === 0) return `${ms / 1e3} s`;
  return `${ms} ms`;
}
function clip(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}\u2026` : s;
}

// src/engine/terraform/exec.ts
import { spawn } from "node:child_process";
var spawnExec = (command, args, opts) => new Promise((resolve) => {
  let stdout = "";
  let stderr = "";
  let timedOut = false;
  let cancelled = false;
  let settled = false;
  const timers = [];
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32"
  });
  const finish = (result) => {
    if (settled) return;
    settled = true;
    for (const t of timers) clearTimeout(t);
    opts.signal?.removeEventListener("abort", onAbort);
    resolve({ ...result, ...cancelled ? { cancelled } : {} });
  };
  const killTree = (signal) => {
    if (child.pid === void 0) return;
    try {
      if (process.platform === "win32") child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
    }
  };
  const stop = () => {
    killTree("SIGTERM");
    timers.push(setTimeout(() => killTree("SIGKILL"), opts.killGraceMs ?? 1e4));
  };
  const onAbort = () => {
    if (settled || timedOut || cancelled) return;
    cancelled = true;
    stop();
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    opts.onStdout?.(chunk);
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    opts.onStderr?.(chunk);
  });
  child.on("error", (err) => {
    finish({
      exitCode: null,
      signal: null,
      timedOut,
      stdout,
      stderr,
      spawnError: { code: err.code, message: err.message }
    });
  });
  child.on("close", (code, signal) => {
    finish({ exitCode: code, signal, timedOut, stdout, stderr });
  });
  if (opts.timeoutMs !== void 0 && opts.timeoutMs > 0) {
    timers.push(
      setTimeout(() => {
        if (cancelled) return;
        timedOut = true;
        stop();
      }, opts.timeoutMs)
    );
  }
});

// src/engine/terraform/runner.ts
var DEFAULT_TIMEOUTS_MS = {
  version: 6e4,
  init: 10 * 6e4,
  plan: 30 * 6e4,
  show: 5 * 6e4,
  apply: 90 * 6e4,
  output: 5 * 6e4,
  destroy: 90 * 6e4,
  "force-unlock": 2 * 6e4
};
function createTerraformRunner(opts) {
  const binary = opts.binary ?? "terraform";
  const exec = opts.exec ?? spawnExec;
  const now = opts.now ?? (() => /* @__PURE__ */ new Date());
  const env = { ...opts.env ?? process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const limit = (op) => typeof opts.timeoutMs === "number" ? opts.timeoutMs : opts.timeoutMs?.[op] ?? DEFAULT_TIMEOUTS_MS[op];
  async function run(operation, args, { json = false, okCodes = [0] } = {}) {
    const started = now().getTime();
    const diagnostics = [];
    const text = [];
    const splitters = {
      stdout: lineSplitter((line) => handle("stdout", line)),
      stderr: lineSplitter((line) => handle("stderr", line))
    };
    function handle(stream, raw) {
      const parsed = json && raw.startsWith("{") ? parseUiLine(raw) : void 0;
      if (parsed) {
        if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
        opts.onLine?.({
          time: now().toISOString(),
          operation,
          stream,
          text: redactText(parsed.message),
          ...parsed.level ? { level: parsed.level } : {},
          ...parsed.type ? { type: parsed.type } : {}
        });
        return;
      }
      if ((operation === "show" || operation === "output") && stream === "stdout") return;
      text.push(raw);
      opts.onLine?.({ time: now().toISOString(), operation, stream, text: redactText(raw) });
    }
    const timeoutMs = limit(operation);
    const streamed = { stdout: false, stderr: false };
    const result = await exec(binary, args, {
      cwd: opts.cwd,
      env,
      timeoutMs,
      killGraceMs: opts.killGraceMs ?? 1e4,
      ...opts.signal ? { signal: opts.signal } : {},
      onStdout: (chunk) => {
        streamed.stdout = true;
        splitters.stdout.push(chunk);
      },
      onStderr: (chunk) => {
        streamed.stderr = true;
        splitters.stderr.push(chunk);
      }
    });
    if (!streamed.stdout && result.stdout) splitters.stdout.push(result.stdout);
    if (!streamed.stderr && result.stderr) splitters.stderr.push(result.stderr);
    splitters.stdout.end();
    splitters.stderr.end();
    const durationMs = now().getTime() - started;
    const allText = text.join("\n");
    const out = {
      exitCode: result.exitCode,
      stdout: result.stdout,
      diagnostics,
      durationMs,
      text: allText
    };
    const failed = result.timedOut || result.spawnError !== void 0 || result.exitCode === null || !okCodes.includes(result.exitCode);
    if (failed) {
      const textDiagnostics = diagnostics.length > 0 ? diagnostics : diagnosticsFromText(result.stderr + "\n" + allText);
      out.failure = classifyFailure({
        operation,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        cancelled: result.cancelled === true,
        timeoutMs,
        diagnostics: textDiagnostics,
        text: allText,
        spawnError: result.spawnError,
        binary
      });
    }
    return out;
  }
  const fail = (r) => ({ ok: false, durationMs: r.durationMs, failure: r.failure });
  return {
    binary,
    async version() {
      const r = await run("version", ["version", "-json"]);
      if (r.failure) return fail(r);
      try {
        const v = JSON.parse(r.stdout);
        return { ok: true, durationMs: r.durationMs, version: String(v.terraform_version ?? "") };
      } catch {
        const m = /v(\d+\.\d+\.\d+\S*)/.exec(r.stdout);
        return { ok: true, durationMs: r.durationMs, version: m?.[1] ?? "" };
      }
    },
    async init(initOpts = {}) {
      const settings = {
        ...initOpts.backend ? backendConfig(initOpts.backend) : {},
        ...initOpts.backendConfig ?? {}
      };
      const args = ["init", "-input=false"];
      for (const [k, v] of Object.entries(settings)) args.push(`-backend-config=${k}=${String(v)}`);
      if (initOpts.upgrade) args.push("-upgrade");
      if (initOpts.reconfigure) args.push("-reconfigure");
      const useJson = opts.jsonInit !== false;
      let r = await run("init", useJson ? [...args, "-json"] : args, { json: useJson });
      if (useJson && r.failure && /flag provided but not defined: -json/.test(r.text)) {
        r = await run("init", args);
      }
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },
    async plan(planOpts) {
      const args = ["plan", "-input=false", "-json", "-detailed-exitcode", `-out=${planOpts.out}`];
      if (planOpts.destroy) args.push("-destroy");
      if (planOpts.lockTimeout) args.push(`-lock-timeout=${planOpts.lockTimeout}`);
      for (const [k, v] of Object.entries(planOpts.vars ?? {})) args.push(`-var=${k}=${v}`);
      const r = await run("plan", args, { json: true, okCodes: [0, 2] });
      if (r.failure) return fail(r);
      const exitCode = r.exitCode === 2 ? 2 : 0;
      return {
        ok: true,
        durationMs: r.durationMs,
        exitCode,
        planFile: planOpts.out,
        hasChanges: exitCode === 2
      };
    },
    async show(planFile) {
      const r = await run("show", ["show", "-json", planFile]);
      if (r.failure) return fail(r);
      try {
        return { ok: true, durationMs: r.durationMs, plan: JSON.parse(r.stdout) };
      } catch (err) {
        return {
          ok: false,
          durationMs: r.durationMs,
          failure: classifyFailure({
            operation: "show",
            exitCode: r.exitCode,
            diagnostics: [
              {
                severity: "error",
                summary: "Unreadable plan JSON",
                detail: `show -json printed invalid JSON: ${String(err)}`
              }
            ],
            text: ""
          })
        };
      }
    },
    async apply(planFile) {
      const r = await run("apply", ["apply", "-input=false", "-json", "-auto-approve", planFile], {
        json: true
      });
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },
    async output() {
      const r = await run("output", ["output", "-json"]);
      if (r.failure) return fail(r);
      try {
        const raw = JSON.parse(r.stdout || "{}");
        const outputs = {};
        for (const [name, o] of Object.entries(raw)) {
          outputs[name] = { value: o.value, sensitive: o.sensitive === true, type: o.type };
        }
        return { ok: true, durationMs: r.durationMs, outputs };
      } catch (err) {
        return {
          ok: false,
          durationMs: r.durationMs,
          failure: classifyFailure({
            operation: "output",
            exitCode: r.exitCode,
            diagnostics: [
              {
                severity: "error",
                summary: "Unreadable outputs",
                detail: `output -json printed invalid JSON: ${String(err)}`
              }
            ],
            text: ""
          })
        };
      }
    },
    async destroy(destroyOpts = {}) {
      const args = ["destroy", "-input=false", "-json", "-auto-approve"];
      if (destroyOpts.lockTimeout) args.push(`-lock-timeout=${destroyOpts.lockTimeout}`);
      const r = await run("destroy", args, { json: true });
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    },
    async forceUnlock(lockId) {
      if (!/^[\w.:/-]+$/.test(lockId)) {
        return {
          ok: false,
          durationMs: 0,
          failure: classifyFailure({
            operation: "force-unlock",
            exitCode: null,
            diagnostics: [
              {
                severity: "error",
                summary: "Invalid lock ID",
                detail: `"${lockId}" is not a lock ID; copy the ID from the Lock Info block.`
              }
            ],
            text: ""
          })
        };
      }
      const r = await run("force-unlock", ["force-unlock", "-force", lockId]);
      if (r.failure) return fail(r);
      return { ok: true, durationMs: r.durationMs };
    }
  };
}
function backendConfig(backend) {
  if (backend.type === "s3") {
    return {
      bucket: backend.bucket,
      key: backend.key,
      region: backend.region,
      encrypt: backend.encrypt,
      use_lockfile: backend.useLockfile
    };
  }
  return { bucket: backend.bucket, prefix: backend.prefix };
}
var REFERENCE_SUFFIX = /_(arn|id|name)$/i;
function publicOutputs(outputs) {
  const patterns = defaultPatterns();
  const out = {};
  for (const [name, o] of Object.entries(outputs)) {
    if (o.sensitive) continue;
    if (nameIsSensitive(name, patterns) && !REFERENCE_SUFFIX.test(name)) continue;
    const v = o.value;
    if (typeof v === "number" || typeof v === "boolean") out[name] = v;
    else if (typeof v === "string") out[name] = redactText(v, patterns);
    else if (v !== null && v !== void 0) out[name] = redactText(JSON.stringify(v), patterns);
  }
  return out;
}
function parseUiLine(line) {
  let obj;
  try {
    obj = JSON.parse(line);
  } catch {
    return void 0;
  }
  if (!obj || typeof obj !== "object" || typeof obj["@message"] !== "string") return void 0;
  const ui = { message: obj["@message"] };
  if (typeof obj["@level"] === "string") ui.level = obj["@level"];
  if (typeof obj.type === "string") ui.type = obj.type;
  const d = obj.diagnostic;
  if (d && typeof d === "object") {
    ui.diagnostic = {
      severity: d.severity === "warning" ? "warning" : "error",
      summary: String(d.summary ?? ""),
      detail: String(d.detail ?? ""),
      ...typeof d.address === "string" ? { address: d.address } : {}
    };
  }
  return ui;
}
function lineSplitter(onLine) {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        onLine(buffer.slice(0, nl).replace(/\r$/, ""));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
      }
    },
    end() {
      if (buffer.length > 0) onLine(buffer);
      buffer = "";
    }
  };
}

// src/engine/terraform/lock.ts
var DEFAULT_STALE_LOCK_AGE_MS = 60 * 6e4;

export {
  formatDiagnostic,
  SENSITIVE,
  defaultPatterns,
  nameIsSensitive,
  valueIsSensitive,
  redactText,
  createTerraformRunner,
  publicOutputs
};
