import { describe, expect, it } from 'vitest';
import {
  BETA9_CHART,
  CERT_MANAGER,
  TRAEFIK,
  beta9Values,
  certManagerValues,
  clusterIssuer,
  ingressController,
  storageClassFor,
  traefikValues,
  waitOnBackendsScript,
  type Beta9ValuesInput,
} from '../../../src/engine/bootstrap/charts.js';
import { DB_PASSWORD } from './fixtures.js';

/** The chart's own default encryption key (pkg/common/config.default.yaml): public, so never used. */
const CHART_DEFAULT_KEY = 'sk_pKz38fK8v7lz01AneJI8MJnR70akmP2CtDNf1IufKcY=';

const input = (over: Partial<Beta9ValuesInput> = {}): Beta9ValuesInput => ({
  provider: 'aws',
  database: {
    host: 'db.abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    username: 'beta9admin',
    password: DB_PASSWORD,
    name: 'beta9',
  },
  redis: { host: 'master.redis.abc.use1.cache.amazonaws.com', port: 6379 },
  encryptionKey: 'sk_generated-key-for-test-0000000000000000000=',
  storageClass: 'gp3',
  ...over,
});

type Values = {
  postgresql: { enabled: boolean };
  redis: { enabled: boolean };
  config: {
    database: {
      postgres: Record<string, unknown>;
      redis: { mode: string; addrs: string[]; enableTLS: boolean; insecureSkipVerify: boolean };
    };
    gateway?: { http: { externalHost: string; externalPort: number; tls: boolean } };
  };
  controllers: { gateway: { initContainers: { 'wait-on-backends': { command: string[] } } } };
  persistence: { images: { storageClass: string } };
  'juicefs-redis': { master: { persistence: { storageClass: string } } };
  ingress?: {
    gateway: {
      enabled: boolean;
      className: string;
      annotations: Record<string, string>;
      hosts: { host: string }[];
      tls: { secretName: string; hosts: string[] }[];
    };
  };
};

describe('chart references', () => {
  it('pins cert-manager from its OCI registry and Traefik as the default ingress controller', () => {
    expect(CERT_MANAGER).toMatchObject({
      chart: 'oci://quay.io/jetstack/charts/cert-manager',
      namespace: 'cert-manager',
    });
    expect(CERT_MANAGER.version).toMatch(/^v1\.19\.\d+$/);
    expect(BETA9_CHART).toBe('oci://public.ecr.aws/n4e0e1y0/beta9-chart');
    expect(ingressController('traefik')).toMatchObject(TRAEFIK);
    expect(ingressController('traefik')?.values('aws')).toEqual(traefikValues('aws'));
    expect(TRAEFIK.chart).toBe('oci://ghcr.io/traefik/helm/traefik');
    expect(ingressController('traefik', '39.1.0')?.version).toBe('39.1.0');
    expect(ingressController('none')).toBeUndefined();
    expect(() => ingressController('ingress-nginx' as never)).toThrow(
      /Unknown ingress controller 'ingress-nginx'. Expected one of: traefik, none \(or a custom chart\)/,
    );
  });

  it('accepts a custom maintained controller and names what a custom one lacks', () => {
    const haproxy = {
      release: 'haproxy',
      chart: 'oci://example.registry/haproxytech/kubernetes-ingress',
      version: '1.44.0',
      namespace: 'haproxy',
      className: 'haproxy',
      values: { controller: { ingressClass: 'haproxy' } },
    };
    const resolved = ingressController(haproxy);
    expect(resolved).toMatchObject({ release: 'haproxy', className: 'haproxy', version: '1.44.0' });
    expect(resolved?.values('gcp')).toEqual({ controller: { ingressClass: 'haproxy' } });
    expect(() => ingressController({ ...haproxy, chart: '', className: '' })).toThrow(
      /custom ingress controller is missing chart, className/,
    );
  });

  it('installs the cert-manager CRDs with the release', () => {
    expect(certManagerValues()).toMatchObject({ crds: { enabled: true } });
  });

  it('gives Traefik an IngressClass and an NLB on AWS', () => {
    expect(traefikValues('aws')).toMatchObject({
      ingressClass: { enabled: true, name: 'traefik' },
      service: {
        type: 'LoadBalancer',
        annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
      },
    });
    expect((traefikValues('gcp') as { service: { annotations: object } }).service.annotations).toEqual({});
  });

  it('builds an ACME ClusterIssuer with an HTTP-01 solver on the ingress class', () => {
    expect(clusterIssuer('ops@example.com', 'traefik')).toMatchObject({
      kind: 'ClusterIssuer',
      spec: {
        acme: {
          email: 'ops@example.com',
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }],
        },
      },
    });
  });
});

describe('Beta9 values: every gotcha from DESIGN.md', () => {
  const v = beta9Values(input()) as unknown as Values;

  it('turns off the in-cluster PostgreSQL and Redis', () => {
    expect(v.postgresql.enabled).toBe(false);
    expect(v.redis.enabled).toBe(false);
  });

  it('points config.database.postgres at the managed database, over TLS', () => {
    expect(v.config.database.postgres).toMatchObject({
      host: 'db.abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      username: 'beta9admin',
      password: DB_PASSWORD,
      name: 'beta9',
      enableTLS: true,
    });
  });

  it('points config.database.redis at the managed Redis: single mode, host:port, TLS', () => {
    expect(v.config.database.redis).toMatchObject({
      mode: 'single',
      addrs: ['master.redis.abc.use1.cache.amazonaws.com:6379'],
      enableTLS: true,
      insecureSkipVerify: false,
    });
    // Memorystore's certificate comes from a per-instance CA Beta9 cannot be given.
    const g = beta9Values(
      input({ provider: 'gcp', redis: { host: '10.0.0.4', port: 6378 } }),
    ) as unknown as Values;
    expect(g.config.database.redis).toMatchObject({
      addrs: ['10.0.0.4:6378'],
      enableTLS: true,
      insecureSkipVerify: true,
    });
  });

  it('overrides the wait-on-backends init container so it waits for the managed services, not in-cluster ones', () => {
    const script = v.controllers.gateway.initContainers['wait-on-backends'].command.join(' ');
    expect(script).toContain('nc -z -w 3 db.abc.us-east-1.rds.amazonaws.com 5432');
    expect(script).toContain('nc -z -w 3 master.redis.abc.use1.cache.amazonaws.com 6379');
    expect(script).not.toMatch(/nc -z (-w 3 )?(postgresql|redis-master) /);
    // Bounded: it gives up (exit 1) instead of waiting forever.
    expect(script).toMatch(/-ge 60 \]; then .*exit 1/);
  });

  it('replaces the local-path storage class: gp3 on AWS, standard-rwo on GCP', () => {
    expect(storageClassFor('aws')).toBe('gp3');
    expect(storageClassFor('gcp')).toBe('standard-rwo');
    expect(v.persistence.images.storageClass).toBe('gp3');
    expect(v['juicefs-redis'].master.persistence.storageClass).toBe('gp3');
    expect(JSON.stringify(v)).not.toContain('local-path');
  });

  it('never uses the chart default (public) encryption key', () => {
    expect(v.config.database.postgres.encryptionKey).toBe('sk_generated-key-for-test-0000000000000000000=');
    expect(JSON.stringify(v)).not.toContain(CHART_DEFAULT_KEY);
  });

  it('has no ingress without a domain; with one, ingress + TLS via the ClusterIssuer and the public host', () => {
    expect(v.ingress).toBeUndefined();
    expect(v.config.gateway).toBeUndefined();
    const d = beta9Values(
      input({
        ingress: { domain: 'beta9.example.com', className: 'traefik', clusterIssuer: 'beta9-letsencrypt' },
      }),
    ) as unknown as Values;
    expect(d.ingress?.gateway).toMatchObject({
      enabled: true,
      className: 'traefik',
      annotations: { 'cert-manager.io/cluster-issuer': 'beta9-letsencrypt' },
      hosts: [{ host: 'beta9.example.com' }],
      tls: [{ secretName: 'beta9-gateway-tls', hosts: ['beta9.example.com'] }],
    });
    expect(d.config.gateway?.http).toEqual({
      externalHost: 'beta9.example.com',
      externalPort: 443,
      tls: true,
    });
  });

  it('refuses a host that could inject shell into the init container', () => {
    expect(() => beta9Values(input({ database: { ...input().database, host: 'db; rm -rf /' } }))).toThrow(
      /database host 'db; rm -rf \/' is not a hostname/,
    );
    expect(() => waitOnBackendsScript({ host: 'ok', port: 1 }, { host: '$(id)', port: 2 })).toThrow(
      /Redis host/,
    );
  });
});
