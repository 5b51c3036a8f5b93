/**
 * A small IPv4 CIDR helper: parsing, private-range checks and subnetting.
 * Addresses are unsigned 32-bit numbers; all arithmetic stays below 2^32, so plain numbers are exact.
 */
export interface Cidr {
  /** Network address as an unsigned 32-bit number (host bits cleared). */
  network: number;
  prefix: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses `a.b.c.d/n`. Returns an error string (not an exception) for bad input. */
export function parseCidr(text: string): { cidr: Cidr } | { error: string } {
  const slash = text.indexOf('/');
  if (slash < 0) return { error: `"${text}" has no prefix length; write it like 10.0.0.0/16` };
  const octets = text.slice(0, slash).split('.');
  const prefixText = text.slice(slash + 1);
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o) && Number(o) <= 255)) {
    return { error: `"${text}" is not an IPv4 address with a prefix; write it like 10.0.0.0/16` };
  }
  if (!/^(0|[1-9][0-9]?)$/.test(prefixText) || Number(prefixText) > 32) {
    return { error: `"${text}" has an invalid prefix length "/${prefixText}"; use /0 to /32` };
  }
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(prefixText);
  const network = address - (address % blockSize(prefix));
  if (network !== address) {
    return {
      error: `"${text}" has host bits set; the network address is ${formatCidr({ network, prefix })}`,
    };
  }
  return { cidr: { network, prefix } };
}

/** Number of addresses in a block with this prefix. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function formatCidr({ network, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.network >= outer.network &&
    inner.network + blockSize(inner.prefix) <= outer.network + blockSize(outer.prefix)
  );
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + blockSize(b.prefix) && b.network < a.network + blockSize(a.prefix);
}

/** The RFC 1918 private ranges. */
export const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (text) => (parseCidr(text) as { cidr: Cidr }).cidr,
);

export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, cidr));
}

/**
 * The `index`-th block of prefix `newPrefix` inside `parent` (like Terraform's `cidrsubnet`).
 * Throws on a request that does not fit: callers compute prefixes from validated input.
 */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
  if (newPrefix < parent.prefix || newPrefix > 32) {
    throw new RangeError(`cannot carve a /${newPrefix} out of ${formatCidr(parent)}`);
  }
  const count = 2 ** (newPrefix - parent.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `${formatCidr(parent)} holds ${count} /${newPrefix} blocks; index ${index} is out of range`,
    );
  }
  return { network: parent.network + index * blockSize(newPrefix), prefix: newPrefix };
}
