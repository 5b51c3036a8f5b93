import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';

export type Segment = string | number;

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** 1-based line and column of an offset in `text`, for problems found before YAML parsing. */
export function positionInText(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Maps paths in the parsed data (`['cloud', 'region']`) back to the YAML nodes they came from,
 * so every problem can point at the offending key or value.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    readonly text: string,
  ) {}

  /** Position of an offset range. */
  span(start: number, end?: number): Position {
    const from = this.lineCounter.linePos(start);
    const position: Position = { line: from.line, column: from.col };
    if (end !== undefined && end > start) {
      const to = this.lineCounter.linePos(end);
      position.endLine = to.line;
      position.endColumn = to.col;
    }
    return position;
  }

  /** The pair (when the last step was a mapping key) and the value node at `path`, as far as it exists. */
  lookup(path: readonly Segment[]): { pair?: Pair; node: unknown; complete: boolean } {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const found = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (found === undefined) return { pair, node, complete: false };
        pair = found;
        node = found.value;
      } else if (isSeq(node) && Number.isInteger(Number(segment))) {
        pair = undefined;
        node = node.items[Number(segment)];
        if (node === undefined) return { pair, node: undefined, complete: false };
      } else {
        return { pair, node, complete: false };
      }
    }
    return { pair, node, complete: true };
  }

  /** Position of the key at the end of `path` (falls back to the nearest enclosing node). */
  keyAt(path: readonly Segment[]): Position {
    const { pair, node } = this.lookup(path);
    if (pair !== undefined && isPair(pair) && hasRange(pair.key)) return this.nodeSpan(pair.key);
    return this.nodeOrStart(node);
  }

  /** Position of the value at `path`; a key without a value points at the key. */
  valueAt(path: readonly Segment[]): Position {
    const { pair, node, complete } = this.lookup(path);
    if (complete && hasRange(node) && !(isScalar(node) && node.value === null && pair !== undefined)) {
      return this.nodeSpan(node);
    }
    if (pair !== undefined && hasRange(pair.key)) return this.nodeSpan(pair.key);
    return this.nodeOrStart(node);
  }

  /** The source text of the scalar at `path` exactly as written (e.g. `012345678901`). */
  rawScalar(path: readonly Segment[]): { raw: string; plain: boolean } | undefined {
    const { node, complete } = this.lookup(path);
    if (!complete || !isScalar(node) || !node.range) return undefined;
    return { raw: this.text.slice(node.range[0], node.range[1]).trim(), plain: node.type === 'PLAIN' };
  }

  private nodeSpan(node: Node): Position {
    const [start, valueEnd] = node.range!;
    return this.span(start, valueEnd);
  }

  private nodeOrStart(node: unknown): Position {
    if (hasRange(node)) return this.span(node.range[0]);
    const contents = this.doc.contents;
    if (contents !== null && contents.range) return this.span(contents.range[0]);
    return { line: 1, column: 1 };
  }
}

function hasRange(node: unknown): node is Node & { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}
