import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  formatDiagnostic,
  readFileLimited,
  validateFiles,
  type ReadFile,
} from '../../engine/config/index.js';
import { toInfraModel, type InfraModel } from '../../engine/model/index.js';
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

/** The one positional argument a command takes; `missing` says what it is when it is absent. */
export function onePositional(
  positionals: readonly string[],
  missing: string,
  many = 'give exactly one file',
): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing ${missing}` : many);
  return positionals[0]!;
}

/** A `--format` value, checked against the formats the command offers. */
export function formatOption<T extends string>(value: unknown, formats: readonly T[]): T {
  if (typeof value !== 'string' || !(formats as readonly string[]).includes(value)) {
    throw new UsageError(`--format must be one of ${formats.join(', ')}; got "${String(value)}"`);
  }
  return value as T;
}

/**
 * Validates one environment file and resolves its InfraModel. Prints every problem as
 * `path:line:col: message` on stderr and returns undefined when the file is invalid.
 */
export async function loadEnvironmentModel(file: string, io: CliIo): Promise<InfraModel | undefined> {
  const files = await environmentFiles([file], io);
  if (files.length !== 1 || files[0] !== file)
    throw new UsageError(`${file} is a folder; give one environment file`);
  const { results, diagnostics } = await validateFiles([file], readerFor(io));
  const config = results[0]?.config;
  if (config === undefined) {
    for (const diagnostic of diagnostics) io.stderr(`${formatDiagnostic(diagnostic)}\n`);
    return undefined;
  }
  return toInfraModel(config);
}
