/** Small readers over synthesised Terraform JSON, so assertions name resources by type. */
export type Json = Record<string, unknown>;

export function resources(tf: Json, type: string): Json[] {
  const byType = (tf.resource as Record<string, Record<string, Json>> | undefined)?.[type];
  return byType ? Object.values(byType) : [];
}

export function resourceNames(tf: Json, type: string): string[] {
  const byType = (tf.resource as Record<string, Record<string, Json>> | undefined)?.[type];
  return byType ? Object.keys(byType) : [];
}

export function one(tf: Json, type: string): Json {
  const all = resources(tf, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

export function dataSources(tf: Json, type: string): Json[] {
  const byType = (tf.data as Record<string, Record<string, Json>> | undefined)?.[type];
  return byType ? Object.values(byType) : [];
}

/** `${aws_subnet.network_private-0_ABC.id}` → `aws_subnet.network_private-0_ABC`. */
export function refTarget(expr: unknown): string {
  const match = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\./.exec(String(expr));
  if (!match) throw new Error(`not a resource reference: ${String(expr)}`);
  return match[1]!;
}

export function addressesOf(
  tf: Json,
  type: string,
  filter: (name: string) => boolean = () => true,
): string[] {
  return resourceNames(tf, type)
    .filter(filter)
    .map((name) => `${type}.${name}`);
}
