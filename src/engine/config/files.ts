import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_FILE_BYTES, parseEnvironmentDetailed, sizeMessage } from './parse.js';
import type { Diagnostic, MetaConfig } from './types.js';

/** A file refused by its size before being read (see `readFileLimited`). */
export interface OversizedFile {
  oversizedBytes: number;
}

/** Reads one file's bytes (or text). Injected so the App can read from GitHub and tests from memory. */
export type ReadFile = (path: string) => Promise<string | Uint8Array | OversizedFile>;

export interface FileResult {
  file: string;
  /** Present only when the file is valid. */
  config?: MetaConfig;
  diagnostics: Diagnostic[];
}

/** Reads from disk; a file over the size limit is refused by its size, without being read. */
export const readFileLimited: ReadFile = async (path) => {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) return { oversizedBytes: size };
    // Read at most one byte over the limit, in case the file grew since stat.
    const buffer = Buffer.alloc(Math.min(size, MAX_FILE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
};

/**
 * Validates every file and reports every problem of every file at once, plus problems between files
 * (two files declaring the same environment name would share Terraform state).
 */
export async function validateFiles(
  paths: readonly string[],
  readFile: ReadFile = readFileLimited,
): Promise<{ results: FileResult[]; diagnostics: Diagnostic[] }> {
  const results: FileResult[] = [];
  const firstByName = new Map<string, string>();
  for (const file of paths) {
    let content: string | Uint8Array | OversizedFile;
    try {
      content = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error);
      results.push({
        file,
        diagnostics: [{ file, line: 1, column: 1, message: `cannot read the file: ${reason}` }],
      });
      continue;
    }
    if (typeof content === 'object' && 'oversizedBytes' in content) {
      results.push({
        file,
        diagnostics: [{ file, line: 1, column: 1, message: sizeMessage(content.oversizedBytes) }],
      });
      continue;
    }
    const parsed = parseEnvironmentDetailed(file, content);
    const result: FileResult = { file, diagnostics: parsed.diagnostics };
    if (parsed.config !== undefined) {
      const earlier = firstByName.get(parsed.config.name);
      if (earlier !== undefined && parsed.source !== undefined) {
        const position = parsed.source.valueAt(['name']);
        result.diagnostics = [
          {
            file,
            ...position,
            message: `environment name "${parsed.config.name}" is also declared in ${earlier}; names must be unique (they key the Terraform state)`,
          },
        ];
      } else {
        firstByName.set(parsed.config.name, file);
        result.config = parsed.config;
      }
    }
    results.push(result);
  }
  return { results, diagnostics: results.flatMap((r) => r.diagnostics) };
}

/** Environment files (`*.yaml`, `*.yml`) directly inside a folder, sorted. */
export async function findEnvironmentFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * Expands files and folders into environment files. Paths that do not exist are returned separately
 * so the caller can treat them as a usage error.
 */
export async function expandPaths(paths: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) missing.push(path);
    else if (info.isDirectory()) files.push(...(await findEnvironmentFiles(path)));
    else files.push(path);
  }
  return { files: [...new Set(files)], missing };
}
