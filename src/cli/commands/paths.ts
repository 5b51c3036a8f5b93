import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readFileLimited, type ReadFile } from '../../engine/config/index.js';
import { UsageError, type CliIo } from '../types.js';

/**
 * Expands files and folders from the command line into environment files, keeping the paths as the
 * user wrote them (so messages read `environments/x.yaml:3:1`). A path that does not exist, or a
 * folder without environment files, is a usage error.
 */
export async function environmentFiles(paths: readonly string[], io: CliIo): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(resolve(io.cwd, path)).catch(() => undefined);
    if (info === undefined) throw new UsageError(`${path}: no such file or folder`);
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(resolve(io.cwd, path), { withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => join(path, e.name))
      .sort();
    if (found.length === 0)
      throw new UsageError(`${path}: no environment files (*.yaml, *.yml) in this folder`);
    files.push(...found);
  }
  return [...new Set(files)];
}

/** Reads command-line paths relative to the io's working folder. */
export function readerFor(io: CliIo): ReadFile {
  return (path) => readFileLimited(resolve(io.cwd, path));
}
