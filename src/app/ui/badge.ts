import type { Status } from '../../engine/report/types.js';

/** Colours shared by the badge and the status page. */
export const STATUS_COLOURS: Record<Status | 'unknown', string> = {
  pending: '#6e7781',
  queued: '#8250df',
  provisioning: '#0969da',
  bootstrapping: '#0969da',
  ready: '#1a7f37',
  destroy_queued: '#8250df',
  destroying: '#bc4c00',
  destroyed: '#57606a',
  failed: '#cf222e',
  unknown: '#6e7781',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Approximate Verdana 11px advance widths: narrow letters, wide letters, the rest. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if ("iljtf.,:;|!' ".includes(ch)) width += 4;
    else if ('mwMW'.includes(ch)) width += 10;
    else if (/[A-Z0-9_]/.test(ch)) width += 8;
    else width += 7;
  }
  return width;
}

/**
 * A flat two-part badge ("beta9 | ready"), the shape shields.io made familiar, for READMEs.
 * Pure: the same inputs give the same bytes, so the ETag is stable.
 */
export function renderBadge(
  label: string,
  status: Status | 'unknown',
  options: { stale?: boolean } = {},
): string {
  const message = options.stale ? `${status.replace('_', ' ')} (stale)` : status.replace('_', ' ');
  const colour = STATUS_COLOURS[status] ?? STATUS_COLOURS.unknown;
  const left = textWidth(label) + 12;
  const right = textWidth(message) + 12;
  const total = left + right;
  const l = escapeXml(label);
  const m = escapeXml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${l}: ${m}">
<title>${l}: ${m}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${l}</text><text x="${left + right / 2}" y="14">${m}</text>
</g>
</svg>
`;
}
