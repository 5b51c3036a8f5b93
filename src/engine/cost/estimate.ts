import type { InfraModel } from '../model/types.js';
import { PRICES, type PriceTable } from './prices.js';

export type CostCategory = 'control_plane' | 'nodes' | 'gpu' | 'network' | 'database' | 'cache' | 'storage';

export interface CostItem {
  label: string;
  category: CostCategory;
  /** Monthly cost at the baseline: system nodes at their desired count, GPU pools at min. */
  monthly_usd: number;
  /** Monthly cost with every pool at its maximum, when that differs. */
  max_monthly_usd?: number;
  detail: string;
}

export interface CostEstimate {
  environment: string;
  provider: 'aws' | 'gcp';
  region: string;
  /** The region whose prices were used (the base region when the region has no index). */
  price_region: string;
  monthly_usd: number;
  /** With every node pool (GPU included) at its maximum. */
  max_monthly_usd: number;
  items: CostItem[];
  notes: string[];
  prices_as_of: string;
}

export interface EstimateOptions {
  prices?: PriceTable;
  /** Stored data assumed in the bucket, for the storage line (default 100 GB). */
  assumedStorageGb?: number;
}

/**
 * Estimates the monthly cost of an environment from its InfraModel with list prices: the
 * Kubernetes control plane, system nodes, GPU nodes at min and max, NAT, the database (HA
 * doubles it), the cache, node disks and the bucket. Usage-based charges (data transfer, NAT
 * data processing, requests, backups beyond the free allowance) are not included and the
 * notes say so.
 */
export function estimateCost(model: InfraModel, opts: EstimateOptions = {}): CostEstimate {
  const prices = opts.prices ?? PRICES;
  const storageGb = opts.assumedStorageGb ?? 100;
  const notes: string[] = [];
  const cloud = model.cloud.provider;
  const table = cloud === 'aws' ? prices.aws : prices.gcp;
  let index = table.regionIndex[model.cloud.region];
  let priceRegion = model.cloud.region;
  if (index === undefined) {
    index = 1;
    priceRegion = table.baseRegion;
    notes.push(
      `No prices for ${model.cloud.region} in the table (as of ${prices.asOf}); ${table.baseRegion} prices were used, so the real cost may differ.`,
    );
  } else if (index !== 1) {
    notes.push(
      `${model.cloud.region} is priced as ${table.baseRegion} × ${index.toFixed(2)} (regional price index of the table, as of ${prices.asOf}).`,
    );
  }
  const ctx: Ctx = { hours: prices.hoursPerMonth, index, notes };
  const items =
    cloud === 'aws' ? awsItems(model, prices, ctx, storageGb) : gcpItems(model, prices, ctx, storageGb);
  notes.push(
    `List prices (on-demand, no discounts) as of ${prices.asOf}. Not included: data transfer, NAT data processing ` +
      `(${usd(cloud === 'aws' ? prices.aws.natGatewayPerGb : prices.gcp.cloudNatPerGb, 3)}/GB), load balancers, requests, ` +
      `and backups beyond the free allowance.`,
  );
  const monthly = round(items.reduce((s, i) => s + i.monthly_usd, 0));
  const max = round(items.reduce((s, i) => s + (i.max_monthly_usd ?? i.monthly_usd), 0));
  return {
    environment: model.name,
    provider: cloud,
    region: model.cloud.region,
    price_region: priceRegion,
    monthly_usd: monthly,
    max_monthly_usd: max,
    items,
    notes,
    prices_as_of: prices.asOf,
  };
}

interface Ctx {
  hours: number;
  index: number;
  notes: string[];
}

function awsItems(model: InfraModel, prices: PriceTable, ctx: Ctx, storageGb: number): CostItem[] {
  const p = prices.aws;
  const monthly = (hourly: number) => round(hourly * ctx.hours * ctx.index);
  const items: CostItem[] = [];

  items.push({
    label: 'EKS control plane',
    category: 'control_plane',
    monthly_usd: monthly(p.eksControlPlaneHourly),
    detail: `1 cluster × ${usd(p.eksControlPlaneHourly * ctx.index, 4)}/h (standard support; ${usd(p.eksExtendedSupportHourly, 2)}/h once Kubernetes ${model.cluster.kubernetesVersion} enters extended support)`,
  });

  for (const group of model.cluster.nodeGroups) {
    const hourly = priceOf(p.ec2Hourly, group.instanceType, 'EC2 instance', ctx);
    const perNode = round(monthly(hourly) + group.diskGb * p.ebsGp3PerGbMonth * ctx.index);
    items.push(
      nodeItem(
        `System nodes (${group.name})`,
        'nodes',
        group,
        perNode,
        `${group.instanceType} at ${usd(hourly * ctx.index, 4)}/h + ${group.diskGb} GB gp3`,
      ),
    );
  }

  const gpu = model.cluster.gpu;
  if (gpu) {
    const hourly = priceOf(p.ec2Hourly, gpu.instanceType, 'EC2 GPU instance', ctx);
    const perNode = round(monthly(hourly) + gpu.diskGb * p.ebsGp3PerGbMonth * ctx.index);
    items.push(
      nodeItem(
        `GPU nodes (${gpu.gpuType})`,
        'gpu',
        { ...gpu, desiredNodes: gpu.minNodes },
        perNode,
        `${gpu.instanceType} (${gpu.acceleratorCount}× ${gpu.gpuType}) at ${usd(hourly * ctx.index, 4)}/h + ${gpu.diskGb} GB gp3`,
      ),
    );
  }

  const nat = model.network.natGateways;
  items.push({
    label: 'NAT gateways',
    category: 'network',
    monthly_usd: round(nat * monthly(p.natGatewayHourly)),
    detail: `${nat} × ${usd(p.natGatewayHourly * ctx.index, 4)}/h, plus ${usd(p.natGatewayPerGb * ctx.index, 3)} per GB processed (not included)`,
  });

  const db = model.database;
  const dbHourly = priceOf(p.rdsPostgresHourly, db.instanceClass, 'RDS instance class', ctx);
  const copies = db.highAvailability ? 2 : 1;
  const dbCompute = copies * monthly(dbHourly);
  const dbStorage = round(copies * db.storageGb * p.rdsGp3PerGbMonth * ctx.index);
  items.push({
    label: 'PostgreSQL (RDS)',
    category: 'database',
    monthly_usd: round(dbCompute + dbStorage),
    detail:
      `${db.highAvailability ? 'Multi-AZ: ' : 'Single-AZ: '}${db.instanceClass} at ${usd(dbHourly * ctx.index, 4)}/h${db.highAvailability ? ' × 2 (primary + standby)' : ''}` +
      ` + ${db.storageGb} GB gp3${db.highAvailability ? ' × 2' : ''} (grows up to ${db.maxStorageGb} GB)`,
  });

  const cache = model.cache;
  const cacheHourly = priceOf(p.elasticacheHourly, cache.nodeType, 'ElastiCache node type', ctx);
  const nodes = 1 + cache.replicas;
  items.push({
    label: 'Redis (ElastiCache)',
    category: 'cache',
    monthly_usd: round(nodes * monthly(cacheHourly)),
    detail: `${nodes} × ${cache.nodeType} (${cache.replicas} replica${cache.replicas === 1 ? '' : 's'}) at ${usd(cacheHourly * ctx.index, 4)}/h`,
  });

  items.push(
    storageItem(
      'Object storage (S3)',
      storageGb,
      p.s3StandardPerGbMonth * ctx.index,
      model.storage.versioning,
    ),
  );
  return items;
}

function gcpItems(model: InfraModel, prices: PriceTable, ctx: Ctx, storageGb: number): CostItem[] {
  const p = prices.gcp;
  const monthly = (hourly: number) => round(hourly * ctx.hours * ctx.index);
  const items: CostItem[] = [];

  items.push({
    label: 'GKE cluster management',
    category: 'control_plane',
    monthly_usd: monthly(p.gkeClusterHourly),
    detail: `1 regional cluster × ${usd(p.gkeClusterHourly * ctx.index, 4)}/h (the GKE free tier credit covers one zonal or Autopilot cluster per billing account, not this one)`,
  });

  let vmsAtBaseline = 0;
  for (const group of model.cluster.nodeGroups) {
    const hourly = priceOf(p.computeHourly, group.instanceType, 'Compute Engine machine type', ctx);
    const perNode = round(monthly(hourly) + group.diskGb * p.pdBalancedPerGbMonth * ctx.index);
    vmsAtBaseline += group.desiredNodes;
    items.push(
      nodeItem(
        `System nodes (${group.name})`,
        'nodes',
        group,
        perNode,
        `${group.instanceType} at ${usd(hourly * ctx.index, 4)}/h + ${group.diskGb} GB pd-balanced`,
      ),
    );
  }

  const gpu = model.cluster.gpu;
  if (gpu) {
    const machine = priceOf(p.computeHourly, gpu.instanceType, 'Compute Engine GPU machine type', ctx);
    const attached = gpu.accelerator !== undefined ? p.gpuHourly[gpu.accelerator] : undefined;
    const hourly = machine + (attached ?? 0) * gpu.acceleratorCount;
    const perNode = round(monthly(hourly) + gpu.diskGb * p.pdBalancedPerGbMonth * ctx.index);
    vmsAtBaseline += gpu.minNodes;
    const what =
      attached !== undefined
        ? `${gpu.instanceType} + ${gpu.acceleratorCount}× ${gpu.accelerator} at ${usd(attached * ctx.index, 4)}/h each`
        : `${gpu.instanceType} (${gpu.acceleratorCount}× ${gpu.gpuType} included)`;
    items.push(
      nodeItem(
        `GPU nodes (${gpu.gpuType})`,
        'gpu',
        { ...gpu, desiredNodes: gpu.minNodes },
        perNode,
        `${what}, ${usd(hourly * ctx.index, 4)}/h per node + ${gpu.diskGb} GB pd-balanced`,
      ),
    );
  }

  const natHourly = Math.min(p.cloudNatMaxHourly, p.cloudNatPerVmHourly * Math.max(1, vmsAtBaseline));
  items.push({
    label: 'Cloud NAT',
    category: 'network',
    monthly_usd: round(model.network.natGateways * monthly(natHourly)),
    detail: `${model.network.natGateways} gateway${model.network.natGateways === 1 ? '' : 's'} × ${usd(natHourly * ctx.index, 4)}/h (${usd(p.cloudNatPerVmHourly, 4)} per VM-hour for ${Math.max(1, vmsAtBaseline)} VMs, capped at ${usd(p.cloudNatMaxHourly, 3)}), plus ${usd(p.cloudNatPerGb, 3)} per GB processed (not included)`,
  });

  const db = model.database;
  const shape = /^db-custom-(\d+)-(\d+)$/.exec(db.instanceClass);
  let dbHourly = 0;
  if (shape) {
    const vcpu = Number(shape[1]);
    const memGb = Number(shape[2]) / 1024;
    dbHourly = vcpu * p.cloudSqlVcpuHourly + memGb * p.cloudSqlMemoryGbHourly;
  } else {
    ctx.notes.push(
      `No price for Cloud SQL tier ${db.instanceClass}: the database line is $0. Use a db-custom-<vCPU>-<MiB> tier or add it to the price table.`,
    );
  }
  const copies = db.highAvailability ? 2 : 1;
  items.push({
    label: 'PostgreSQL (Cloud SQL)',
    category: 'database',
    monthly_usd: round(
      copies * monthly(dbHourly) + copies * db.storageGb * p.cloudSqlSsdPerGbMonth * ctx.index,
    ),
    detail:
      `${db.highAvailability ? 'Regional HA: ' : 'Zonal: '}${db.instanceClass} at ${usd(dbHourly * ctx.index, 4)}/h${db.highAvailability ? ' × 2 (HA doubles compute and storage)' : ''}` +
      ` + ${db.storageGb} GB SSD (grows up to ${db.maxStorageGb} GB)`,
  });

  const cache = model.cache;
  const tier = cache.nodeType === 'STANDARD_HA' ? 'STANDARD_HA' : 'BASIC';
  if (cache.nodeType !== tier) ctx.notes.push(`Unknown Memorystore tier ${cache.nodeType}: priced as BASIC.`);
  const rate = (t: 'BASIC' | 'STANDARD_HA') =>
    (p.memorystoreGbHourly[t].find(([max]) => cache.memoryGb <= max) ?? [0, 0])[1];
  const base = cache.memoryGb * rate(tier);
  // Standard tier includes one replica; more read replicas are billed per node like Basic.
  const extraReplicas = tier === 'STANDARD_HA' ? Math.max(0, cache.replicas - 1) : 0;
  const cacheHourly = base + extraReplicas * cache.memoryGb * rate('BASIC');
  items.push({
    label: 'Redis (Memorystore)',
    category: 'cache',
    monthly_usd: monthly(cacheHourly),
    detail:
      `${tier}, ${cache.memoryGb} GB at ${usd(rate(tier) * ctx.index, 4)}/GB-h` +
      (extraReplicas > 0 ? ` + ${extraReplicas} extra read replica${extraReplicas === 1 ? '' : 's'}` : ''),
  });

  items.push(
    storageItem(
      'Object storage (GCS)',
      storageGb,
      p.gcsStandardPerGbMonth * ctx.index,
      model.storage.versioning,
    ),
  );
  return items;
}

function nodeItem(
  label: string,
  category: CostCategory,
  group: { minNodes: number; desiredNodes: number; maxNodes: number },
  perNode: number,
  what: string,
): CostItem {
  const baseline = round(group.desiredNodes * perNode);
  const max = round(group.maxNodes * perNode);
  const range =
    category === 'gpu'
      ? `${group.minNodes} nodes (min) to ${group.maxNodes} (max): ${usd(baseline)} to ${usd(max)}/month`
      : `${group.desiredNodes} nodes (${group.minNodes}–${group.maxNodes}); ${usd(max)}/month at ${group.maxNodes}`;
  return {
    label,
    category,
    monthly_usd: baseline,
    ...(max !== baseline ? { max_monthly_usd: max } : {}),
    detail: `${what}; ${usd(perNode)}/month per node; ${range}`,
  };
}

function storageItem(label: string, gb: number, perGb: number, versioning: boolean): CostItem {
  return {
    label,
    category: 'storage',
    monthly_usd: round(gb * perGb),
    detail: `usage-based: ${usd(perGb, 4)}/GB-month; ${gb} GB assumed${versioning ? ', plus noncurrent versions kept until they expire' : ''}`,
  };
}

function priceOf(table: Record<string, number>, key: string, what: string, ctx: Ctx): number {
  const price = table[key];
  if (price === undefined) {
    ctx.notes.push(
      `No price for ${what} ${key} in the table: it is counted as $0. Add it to src/engine/cost/prices.ts.`,
    );
    return 0;
  }
  return price;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `$1,234.56`; `digits` for unit prices such as `$0.0450`. */
export function usd(n: number, digits = 2): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}$${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}
