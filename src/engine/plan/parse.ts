import { PlanParseError } from './types.js';

const SHOW_JSON_HINT =
  'Write the plan JSON with `terraform show -json tfplan > plan.json` (or `tofu show -json`).';

/**
 * Reads the text of a `terraform show -json` file into a value, rejecting what is not JSON
 * with a `PlanParseError` that says what was found and how to produce the right file.
 * Whether the value is a plan is `summarizePlan`'s job.
 */
export function parsePlanText(input: string | Uint8Array, source = 'plan JSON'): unknown {
  const text = typeof input === 'string' ? input : decodeBytes(input, source);
  if (text.includes('\u0000') || text.startsWith('\uFFFD\uFFFD')) throw utf16Error(source);
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  if (start < 0) {
    throw new PlanParseError('empty', `${source} is empty.`, SHOW_JSON_HINT);
  }
  if (body[start] !== '{' && body[start] !== '[') {
    const line = body.slice(start).split('\n', 1)[0] ?? '';
    const jsonAt = body.search(/^\s*\{/m);
    const where = jsonAt >= 0 ? ` The JSON starts on line ${lineOf(body, body.indexOf('{', jsonAt))}.` : '';
    throw new PlanParseError(
      'leading_text',
      `${source} has text before the JSON, starting on line ${lineOf(body, start)}: "${clip(line, 60)}".${where}`,
      `Remove it; ${SHOW_JSON_HINT.charAt(0).toLowerCase()}${SHOW_JSON_HINT.slice(1)} Do not redirect \`terraform plan\` output or progress lines into the file.`,
    );
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = positionOf(message, body);
    if (
      /end of (JSON )?input|Unterminated string/i.test(message) ||
      (pos !== undefined && pos >= body.trimEnd().length)
    ) {
      throw new PlanParseError(
        'truncated',
        `${source} ends before the JSON does (${body.length} characters read); the file is truncated.`,
        `Re-create it, and check the disk or the artifact upload did not cut it short. ${SHOW_JSON_HINT}`,
      );
    }
    const where = pos !== undefined ? ` at line ${lineOf(body, pos)}, column ${columnOf(body, pos)}` : '';
    throw new PlanParseError(
      'invalid_json',
      `${source} is not valid JSON${where}: ${message}.`,
      SHOW_JSON_HINT,
    );
  }
}

function decodeBytes(bytes: Uint8Array, source: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) throw utf16Error(source);
  // UTF-16 without a byte order mark: every other byte of ASCII JSON is zero.
  if (bytes.length >= 2 && (b0 === 0 || b1 === 0)) throw utf16Error(source);
  return new TextDecoder('utf-8').decode(bytes);
}

function utf16Error(source: string): PlanParseError {
  return new PlanParseError(
    'utf16',
    `${source} is UTF-16 encoded (Windows PowerShell's \`>\` writes UTF-16); the plan JSON must be UTF-8.`,
    'Re-create it with `terraform show -json tfplan | Out-File -Encoding utf8 plan.json`, or run the command in bash.',
  );
}

function positionOf(message: string, body: string): number | undefined {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = body.split('\n');
    const line = Number(lc[1]);
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    return offset + Number(lc[2]) - 1;
  }
  return undefined;
}

function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function columnOf(text: string, pos: number): number {
  return pos - text.lastIndexOf('\n', pos - 1);
}

function clip(s: string, n: number): string {
  const t = s.trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
