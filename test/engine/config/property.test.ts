import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../src/engine/config/index.js';
import { toInfraModel } from '../../../src/engine/model/index.js';

const examples = ['ml-staging', 'gpu-research'].map((name) => ({
  file: `environments/${name}.yaml`,
  text: readFileSync(new URL(`../../../environments/${name}.yaml`, import.meta.url), 'utf8'),
}));

/** Characters that matter to YAML, plus ordinary ones. */
const yamlChar = fc.constantFrom(
  ...': -[]{}&*!|>\'"#%@`,?\t\n\r\\/.0123456789abcxyzAZ_~=+<'.split(''),
  '\u0000',
  '\uFEFF',
  'é',
  '€',
  '😀',
  '---',
  '...',
  '<<: *a',
  '&a',
  '*a',
  '!!binary',
  '  ',
  'null',
  'true',
  '123456789012',
  '0x1F',
  '.inf',
);
const snippet = fc.array(yamlChar, { maxLength: 12 }).map((chars) => chars.join(''));

/** Values of every YAML kind, to put where a field's value was. */
const yamlValue = fc.oneof(
  fc.constantFrom(
    '[a, b]',
    '{x: 1}',
    '',
    '~',
    '123456789012',
    '"quoted"',
    'yes',
    '1.5',
    '-1',
    '65',
    '0',
    'us-east-1',
    'us-central1',
    'T4',
    'A10G',
    'large',
    '10.0.0.0/8',
    '192.168.0.0/20',
    '"1.33"',
    '&x 1',
    '*x',
    '|\n    text',
    '- item',
    'x@y.z',
  ),
  snippet,
);

type Edit = (text: string) => string;
const at = (text: string, n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
const lineEdit = (f: (lines: string[], i: number, j: number) => void) =>
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Edit => (text) => {
    const lines = text.split('\n');
    f(lines, i % lines.length, j % lines.length);
    return lines.join('\n');
  });

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), snippet).map(
    ([n, s]): Edit =>
      (t) =>
        t.slice(0, at(t, n)) + s + t.slice(at(t, n)),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(
    ([n, len]): Edit =>
      (t) =>
        t.slice(0, at(t, n)) + t.slice(at(t, n) + len),
  ),
  fc.tuple(fc.nat(), snippet).map(
    ([n, s]): Edit =>
      (t) =>
        t.slice(0, at(t, n)) + s + t.slice(at(t, n) + s.length),
  ),
  {
    weight: 4,
    arbitrary: fc.tuple(fc.nat(), yamlValue).map(([n, value]): Edit => (text) => {
      // Replace the value of one `key: value` line.
      const lines = text.split('\n');
      const keyLines = lines.flatMap((line, i) => (/^\s*[\w-]+:/.test(line) ? [i] : []));
      if (keyLines.length === 0) return text;
      const i = keyLines[n % keyLines.length]!;
      lines[i] = lines[i]!.replace(/^(\s*[\w-]+:)(.*)$/, `$1 ${value}`);
      return lines.join('\n');
    }),
  },
  lineEdit((lines, i) => lines.splice(i, 0, lines[i]!)), // duplicate a line
  lineEdit((lines, i) => lines.splice(i, 1)), // delete a line
  lineEdit((lines, i, j) => ([lines[i], lines[j]] = [lines[j]!, lines[i]!])), // swap two lines
  lineEdit((lines, i) => (lines[i] = ` ${lines[i]}`)), // indent a line
  lineEdit((lines, i) => (lines[i] = lines[i]!.replace(/^ {2}/, ''))), // dedent a line
);

/**
 * The validator must never throw, and must either accept a file (a config, no diagnostics) or reject
 * it with diagnostics that each name a real line and column of that file.
 */
function checkContract(file: string, text: string) {
  try {
    checkResult(file, text);
  } catch (error) {
    // fast-check prints edits as functions; show the edited file instead.
    throw new Error(`${(error as Error).message}\n--- edited ${file} ---\n${text}`);
  }
}

function checkResult(file: string, text: string) {
  const result = parseEnvironment(file, text);
  const lineCount = text.split('\n').length;
  if (result.config !== undefined) {
    expect(result.diagnostics).toEqual([]);
    // Whatever the validator accepts, the model must resolve.
    toInfraModel(result.config);
    return;
  }
  expect(result.diagnostics.length).toBeGreaterThan(0);
  for (const d of result.diagnostics) {
    expect(d.file).toBe(file);
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toContain('internal error');
  }
}

describe('property: random edits to valid files', () => {
  it.each(examples)('never crash the validator and are accepted or name a line ($file)', ({ file, text }) => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        checkContract(
          file,
          edits.reduce((t, e) => e(t), text),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes never crash the validator', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = parseEnvironment('environments/x.yaml', bytes);
        expect(
          result.config === undefined ? result.diagnostics.length > 0 : result.diagnostics.length === 0,
        ).toBe(true);
        for (const d of result.diagnostics) expect(d.line >= 1 && d.column >= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
