import { createRequire as __beta9CreateRequire } from 'node:module'; const require = __beta9CreateRequire(import.meta.url);

// src/engine/bootstrap/types.ts
var RETRYABLE_CLASSES = /* @__PURE__ */ new Set([
  "kube_unreachable",
  "nodes_not_ready",
  "timeout",
  "network"
]);
var BootstrapError = class extends Error {
  failureClass;
  nextStep;
  constructor(failureClass, message, nextStep) {
    super(message);
    this.name = "BootstrapError";
    this.failureClass = failureClass;
    this.nextStep = nextStep;
  }
  get retryable() {
    return RETRYABLE_CLASSES.has(this.failureClass);
  }
};
var nullReporter = {
  phaseStarted: () => void 0,
  phaseFinished: () => void 0,
  log: () => void 0
};
var systemClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};

// src/engine/bootstrap/charts.ts
var CERT_MANAGER = {
  release: "cert-manager",
  chart: "oci://quay.io/jetstack/charts/cert-manager",
  version: "v1.19.1",
  namespace: "cert-manager"
};
var TRAEFIK = {
  release: "traefik",
  chart: "oci://ghcr.io/traefik/helm/traefik",
  version: "39.0.0",
  namespace: "traefik",
  className: "traefik"
};
var BETA9_CHART = "oci://public.ecr.aws/n4e0e1y0/beta9-chart";
var BETA9_NAMESPACE = "beta9";
var BETA9_RELEASE = "beta9";
var INGRESS_CHOICES = ["traefik", "none"];
function checkCustomIngress(c) {
  const problems = [];
  for (const key of ["release", "chart", "version", "namespace", "className"]) {
    if (typeof c[key] !== "string" || c[key] === "") problems.push(key);
  }
  if (!c.values || typeof c.values !== "object") problems.push("values");
  if (problems.length > 0) {
    throw new BootstrapError(
      "config",
      `The custom ingress controller is missing ${problems.join(", ")}.`,
      "Give release, chart, version, namespace, className and values, or use one of: " + INGRESS_CHOICES.join(", ") + "."
    );
  }
}
function ingressController(choice, version) {
  if (choice === "none") return void 0;
  if (choice === "traefik") {
    const ref = { ...TRAEFIK, ...version ? { version } : {} };
    return { ...ref, values: (provider) => traefikValues(provider, ref.className) };
  }
  if (choice && typeof choice === "object") {
    checkCustomIngress(choice);
    const { values, ...ref } = choice;
    return { ...ref, ...version ? { version } : {}, values: () => values };
  }
  throw new BootstrapError(
    "config",
    `Unknown ingress controller '${String(choice)}'. Expected one of: ${INGRESS_CHOICES.join(", ")} (or a custom chart).`
  );
}
function certManagerValues() {
  return {
    crds: { enabled: true, keep: true },
    // The webhook must be up before the ClusterIssuer is created; --wait covers the Deployments.
    startupapicheck: { enabled: true }
  };
}
function traefikValues(provider, className = TRAEFIK.className) {
  return {
    ingressClass: { enabled: true, isDefaultClass: true, name: className },
    providers: {
      kubernetesIngress: { enabled: true, publishedService: { enabled: true } },
      kubernetesCRD: { enabled: true }
    },
    service: {
      type: "LoadBalancer",
      // EKS without the AWS Load Balancer Controller: the in-tree controller creates an NLB with this annotation.
      annotations: provider === "aws" ? {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"
      } : {}
    }
  };
}
function storageClassFor(provider) {
  return provider === "aws" ? "gp3" : "standard-rwo";
}
var CLUSTER_ISSUER = "beta9-letsencrypt";
var LETSENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";
function clusterIssuer(email, ingressClassName, server = LETSENCRYPT_PRODUCTION) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: CLUSTER_ISSUER },
    spec: {
      acme: {
        server,
        email,
        privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName } } }]
      }
    }
  };
}
var HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
function checkHost(host, what) {
  if (!HOST_RE.test(host)) {
    throw new BootstrapError(
      "config",
      `${what} '${host}' is not a hostname or IP address.`,
      "Check the Terraform outputs."
    );
  }
  return host;
}
function waitOnBackendsScript(db, redis) {
  const wait = (label, host, port) => [
    `i=0; until nc -z -w 3 ${host} ${port}; do`,
    `  i=$((i+1)); if [ "$i" -ge 60 ]; then echo "${label} at ${host}:${port} is unreachable after 5 minutes: check security groups / authorized networks"; exit 1; fi`,
    `  echo "Waiting on ${label} at ${host}:${port}..."; sleep 5;`,
    "done;"
  ].join("\n");
  return [
    wait("PostgreSQL", checkHost(db.host, "database host"), db.port),
    wait("Redis", checkHost(redis.host, "Redis host"), redis.port),
    wait("Redis (JuiceFS)", "juicefs-redis-master", 6379),
    'echo "All systems ready!"'
  ].join("\n");
}
function beta9Values(input) {
  const { provider, database, redis, encryptionKey, storageClass, ingress } = input;
  const values = {
    // Managed PostgreSQL and Redis replace the chart's in-cluster ones.
    postgresql: { enabled: false },
    redis: { enabled: false },
    config: {
      database: {
        postgres: {
          host: checkHost(database.host, "database host"),
          port: database.port,
          username: database.username,
          password: database.password,
          name: database.name,
          timezone: "UTC",
          encryptionKey,
          // RDS and Cloud SQL are reached over TLS.
          enableTLS: true
        },
        redis: {
          mode: "single",
          addrs: [`${checkHost(redis.host, "Redis host")}:${redis.port}`],
          password: "",
          // ElastiCache and Memorystore are created with in-transit encryption.
          enableTLS: true,
          // Memorystore presents a certificate from a per-instance Google CA that Beta9 cannot be given.
          insecureSkipVerify: provider === "gcp"
        }
      },
      ...ingress ? { gateway: { http: { externalHost: ingress.domain, externalPort: 443, tls: true } } } : {}
    },
    controllers: {
      gateway: {
        initContainers: {
          // The chart's default waits for postgresql:5432 and redis-master:6379 in the cluster, forever.
          "wait-on-backends": {
            image: { repository: "busybox", tag: "1.37.0" },
            command: ["sh", "-c", waitOnBackendsScript(database, redis)]
          }
        }
      }
    },
    persistence: { images: { storageClass } },
    // JuiceFS metadata stays in an in-cluster Redis; it needs a real storage class too.
    "juicefs-redis": { master: { persistence: { storageClass } } }
  };
  if (ingress) {
    values.ingress = {
      gateway: {
        enabled: true,
        className: ingress.className,
        annotations: { "cert-manager.io/cluster-issuer": ingress.clusterIssuer },
        hosts: [
          {
            host: ingress.domain,
            paths: [{ path: "/", pathType: "Prefix", service: { name: "gateway", port: 1994 } }]
          }
        ],
        tls: [{ secretName: "beta9-gateway-tls", hosts: [ingress.domain] }]
      }
    };
  }
  return values;
}

export {
  BootstrapError,
  nullReporter,
  systemClock,
  CERT_MANAGER,
  BETA9_CHART,
  BETA9_NAMESPACE,
  BETA9_RELEASE,
  INGRESS_CHOICES,
  ingressController,
  certManagerValues,
  storageClassFor,
  CLUSTER_ISSUER,
  clusterIssuer,
  beta9Values
};
