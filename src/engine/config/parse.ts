import {
  CST,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  Lexer,
  LineCounter,
  parseDocument,
  type Node,
  type YAMLError,
} from 'yaml';
import { describeSchemaErrors, type Problem } from './messages.js';
import { crossFieldProblems } from './rules.js';
import { environmentValidator } from './schema.js';
import { positionInText, SourceMap, type Position } from './source.js';
import type { Diagnostic, MetaConfig } from './types.js';

/** Files larger than this are rejected before parsing (DESIGN.md: "files over 1 MiB"). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A real environment file has a few hundred YAML tokens; this bounds parser time on hostile input. */
export const MAX_TOKENS = 20_000;
/** Deepest nesting of mappings and lists accepted (the schema itself is 3 levels deep). */
export const MAX_DEPTH = 16;
/** Aliases may expand to at most this many nodes (alias bombs, "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Problems reported per file before the rest are summarised. */
export const MAX_PROBLEMS = 100;

export interface ParseResult {
  /** Present only when the file is valid; every default filled in. */
  config?: MetaConfig;
  diagnostics: Diagnostic[];
}

/** ParseResult plus the source map, for callers that point at fields later (cross-file rules). */
export interface DetailedParseResult extends ParseResult {
  source?: SourceMap;
}

/**
 * Parses and validates one environment file. Never throws: every problem, of any kind, comes back as
 * a diagnostic naming the file, line and column. Pass bytes when you have them, so size and encoding
 * are checked before any decoding or parsing.
 */
export function parseEnvironment(file: string, content: string | Uint8Array): ParseResult {
  const { config, diagnostics } = parseEnvironmentDetailed(file, content);
  return config !== undefined ? { config, diagnostics } : { diagnostics };
}

export function parseEnvironmentDetailed(file: string, content: string | Uint8Array): DetailedParseResult {
  const fail = (problems: Problem[]): DetailedParseResult => ({ diagnostics: toDiagnostics(file, problems) });
  try {
    const decoded = decode(content);
    if ('problem' in decoded) return fail([decoded.problem]);
    const { text } = decoded;

    if (text.trim() === '') return fail([emptyProblem({ line: 1, column: 1 })]);

    // Control characters (except tab and line breaks) mean binary content, which YAML forbids anyway.
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/.exec(text);
    if (control !== null) {
      const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      return fail([
        {
          ...positionInText(text, control.index),
          message:
            code === 'FFFD'
              ? 'the file is not valid UTF-8 text; save it as UTF-8'
              : `the file contains the control character U+${code}, which YAML does not allow; is this a binary file?`,
        },
      ]);
    }

    const tooComplex = prescan(text);
    if (tooComplex !== undefined) return fail([tooComplex]);

    const lineCounter = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter,
      keepSourceTokens: true,
      prettyErrors: false,
      // Duplicates are found below in linear time; yaml's own check is quadratic in the number of keys.
      uniqueKeys: false,
      strict: true,
      version: '1.2',
    });
    const source = new SourceMap(doc, lineCounter, text);

    // One message per position: yaml often reports a single mistake twice, in different words.
    const yamlProblems = [...doc.errors, ...doc.warnings]
      .map((e) => yamlProblem(e, source))
      .filter((p, i, all) => all.findIndex((q) => q.line === p.line && q.column === p.column) === i);
    if (yamlProblems.length > 0) return fail(yamlProblems);

    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) {
      return fail([emptyProblem({ line: 1, column: 1 })]);
    }
    const structural = structureProblems(root, source);
    if (structural.length > 0) return fail(structural);

    if (!isMap(root)) {
      const found = isCollection(root) ? 'a list' : isAlias(root) ? 'an alias' : 'a single value';
      return fail([
        {
          ...source.span(root.range?.[0] ?? 0),
          message: `the file must be a mapping of keys (version: 1, name: ..., cloud: ...), but it is ${found}`,
        },
      ]);
    }

    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      if (error instanceof ReferenceError || error instanceof RangeError) {
        return fail([
          {
            ...firstAliasPosition(root, source),
            message: `aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}); environment files do not need anchors and aliases, write the values out`,
          },
        ]);
      }
      throw error;
    }

    const validate = environmentValidator();
    const valid = validate(data);
    const problems = valid ? [] : describeSchemaErrors(validate.errors ?? [], source, data);
    problems.push(...crossFieldProblems(data as Record<string, unknown>, stemOf(file), source));
    problems.push(...extensionProblems(file));
    if (problems.length > 0) return { diagnostics: toDiagnostics(file, problems), source };
    return { config: data as MetaConfig, diagnostics: [], source };
  } catch (error) {
    // A bug in this module must still come back as a diagnostic, never as a crash of the caller.
    const reason = error instanceof Error ? error.message : String(error);
    return fail([
      {
        line: 1,
        column: 1,
        message: `internal error while validating this file (${reason}); please report it`,
      },
    ]);
  }
}

/** The file name without directory and `.yaml`/`.yml`. */
export function stemOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.replace(/\.ya?ml$/i, '');
}

function extensionProblems(file: string): Problem[] {
  return /\.ya?ml$/.test(file)
    ? []
    : [{ line: 1, column: 1, message: 'environment files must be named <name>.yaml or <name>.yml' }];
}

function decode(content: string | Uint8Array): { text: string } | { problem: Problem } {
  const size = typeof content === 'string' ? byteLength(content) : content.byteLength;
  if (size > MAX_FILE_BYTES) {
    return {
      problem: {
        line: 1,
        column: 1,
        message: sizeMessage(size),
      },
    };
  }
  if (typeof content === 'string') return { text: content.replace(/^\uFEFF/, '') };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content) };
  } catch {
    const loose = new TextDecoder('utf-8').decode(content);
    return {
      problem: {
        ...positionInText(loose, Math.max(0, loose.indexOf('\uFFFD'))),
        message: 'the file is not valid UTF-8 text (is it a binary file?); save it as UTF-8',
      },
    };
  }
}

export function sizeMessage(size: number): string {
  return `the file is ${size} bytes; environment files are limited to 1 MiB (${MAX_FILE_BYTES} bytes)`;
}

function byteLength(text: string): number {
  // Every UTF-16 unit is at least one UTF-8 byte and at most three.
  if (text.length > MAX_FILE_BYTES) return text.length;
  if (text.length * 3 <= MAX_FILE_BYTES) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

function emptyProblem(position: Position): Problem {
  return {
    ...position,
    message:
      'the file is empty; an environment needs at least version: 1, name and cloud (see docs/environment-files.md)',
  };
}

/**
 * Walks the lexer's token stream (linear, non-recursive) before the real parse, so inputs built to
 * exhaust the parser (deep flow nesting, hundreds of thousands of tokens) are refused cheaply.
 */
function prescan(text: string): Problem | undefined {
  let offset = 0;
  let tokens = 0;
  let depth = 0;
  // `- - - x` nests a list per dash on one line.
  let indicatorsOnLine = 0;
  // Block nesting: the stack of increasing indentations of the lines seen so far.
  const indents: number[] = [];
  let atLineStart = true;
  let indent = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'doc-mode' || type === 'flow-error-end' || type === 'scalar') continue;
    if (type === 'newline') {
      indicatorsOnLine = 0;
      atLineStart = true;
      indent = 0;
    } else if (atLineStart && type === 'space') {
      indent = token.length;
    } else if (atLineStart && type !== 'comment') {
      atLineStart = false;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > MAX_DEPTH) {
        return {
          ...positionInText(text, offset),
          message: `mappings are indented more than ${MAX_DEPTH} levels deep; environment files are at most 3 levels deep`,
        };
      }
    }
    if (type === 'seq-item-ind' || type === 'explicit-key-ind') indicatorsOnLine++;
    if (type === 'flow-seq-start' || type === 'flow-map-start') depth++;
    if (type === 'flow-seq-start' || type === 'flow-map-start' || type === 'seq-item-ind') {
      if (depth + indicatorsOnLine > MAX_DEPTH) {
        return {
          ...positionInText(text, offset),
          message: `lists and mappings are nested more than ${MAX_DEPTH} levels deep; environment files are at most 3 levels deep`,
        };
      }
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      depth = Math.max(0, depth - 1);
    }
    if (type !== 'space' && type !== 'newline' && type !== 'comment') {
      tokens++;
      if (tokens > MAX_TOKENS) {
        return {
          ...positionInText(text, offset),
          message: `the file has more than ${MAX_TOKENS} YAML tokens; an environment file is a few dozen lines`,
        };
      }
    }
    offset += token.length;
  }
  return undefined;
}

function yamlProblem(error: YAMLError, source: SourceMap): Problem {
  const position = source.span(error.pos[0]);
  const firstLine = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const unclosed = error.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(error.message) : null;
  if (unclosed !== null) {
    // yaml reports the end of the file; the useful place is the quote that was opened.
    const quote = unclosed[1]!;
    const text = source.text;
    let at = text.lastIndexOf(quote, error.pos[0] - 1);
    const escaped = (i: number) => (quote === '"' ? text[i - 1] === '\\' : text[i - 1] === "'");
    while (at > 0 && escaped(at)) at = text.lastIndexOf(quote, at - (quote === '"' ? 1 : 2));
    if (at >= 0) {
      return {
        ...source.span(at),
        message: `invalid YAML: this ${quote}quoted value is never closed; add the closing ${quote}`,
      };
    }
  }
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return {
        ...position,
        message: 'found a second YAML document (---); an environment file holds one environment',
      };
    case 'TAB_AS_INDENT':
      return { ...position, message: 'a tab is used for indentation; YAML needs spaces' };
    case 'RESOURCE_EXHAUSTION':
      return { ...position, message: 'the YAML is nested too deeply to be an environment file' };
    case 'TAG_RESOLVE_FAILED':
      return {
        ...position,
        message: `invalid YAML: ${firstLine}; environment files use plain values, without !tags`,
      };
    default:
      return { ...position, message: `invalid YAML: ${firstLine}` };
  }
}

/** Duplicate keys, non-string keys and excessive depth: checked iteratively over the node tree. */
function structureProblems(root: Node, source: SourceMap): Problem[] {
  const problems: Problem[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH && isCollection(node)) {
      problems.push({
        ...source.span((node as Node).range?.[0] ?? 0),
        message: `lists and mappings are nested more than ${MAX_DEPTH} levels deep; environment files are at most 3 levels deep`,
      });
      break;
    }
    if (isMap(node)) {
      const firstSeen = new Map<string, number>();
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
          problems.push({
            ...source.span((key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0),
            message: 'keys must be plain words like name or cloud, not lists, mappings or aliases',
          });
          continue;
        }
        const name = String(key.value);
        const start = key.range?.[0] ?? 0;
        const earlier = firstSeen.get(name);
        if (earlier !== undefined) {
          problems.push({
            ...source.span(start, key.range?.[1]),
            message: `duplicate key "${name}" (first defined on line ${source.span(earlier).line}); remove one of them`,
          });
        } else {
          firstSeen.set(name, start);
        }
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else if (isCollection(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return problems.reverse();
}

function firstAliasPosition(root: Node, source: SourceMap): Position {
  let first: number | undefined;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node) && node.range) first = Math.min(first ?? Infinity, node.range[0]);
    else if (isMap(node)) for (const pair of node.items) stack.push(pair.value);
    else if (isCollection(node)) stack.push(...node.items);
  }
  return first !== undefined ? source.span(first) : { line: 1, column: 1 };
}

function toDiagnostics(file: string, problems: Problem[]): Diagnostic[] {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const kept = sorted.slice(0, MAX_PROBLEMS).map((p) => ({ file, ...p }));
  if (sorted.length > MAX_PROBLEMS) {
    const last = kept[kept.length - 1]!;
    kept.push({
      file,
      line: last.line,
      column: last.column,
      message: `${sorted.length - MAX_PROBLEMS} more problems not shown; fix the ones above first`,
    });
  }
  return kept;
}
