/**
 * Hostile environment files (issue 8): alias bombs, deep nesting, files at and over 1 MiB,
 * binary bytes, path tricks and colliding names. The CLI (`bin/beta9-provisioner.cjs validate`,
 * the bundle users run) gives each a clear error naming the file, within bounded time and
 * memory; the App's pull request check refuses a name another repository already declares.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../../src/app/store/store.js';
import { createEngine } from '../../../src/app/engine.js';
import { recordFromConfig } from '../../../src/app/services/records.js';
import { deliver, ROOT, startServer, until } from '../harness.js';
import { environmentFile, Fixture, halt } from './helpers.js';

const MIB = 1024 * 1024;
/** Safety bounds, not performance targets: a crash, a hang or a blow-up fails them by far. */
const MAX_RSS_MB = 200;
const MAX_WALL_MS = 20_000;

const work = mkdtempSync(join(tmpdir(), 'beta9-hostile-'));
/** Records the CLI's peak memory from inside its own process (no dependency on /usr/bin/time). */
const probe = join(work, 'probe.mjs');
writeFileSync(
  probe,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.BETA9_RSS_FILE, String(process.resourceUsage().maxRSS)));
`,
);

interface Run {
  code: number | null;
  output: string;
  rssMb: number;
  wallMs: number;
}

function validate(files: Record<string, string | Buffer>): { run: Run; dir: string } {
  const dir = mkdtempSync(join(work, 'case-'));
  mkdirSync(join(dir, 'environments'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, 'environments', name), content);
  const rssFile = join(dir, 'rss');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    ['--import', probe, join(ROOT, 'bin/beta9-provisioner.cjs'), 'validate', join(dir, 'environments')],
    { encoding: 'utf8', env: { ...process.env, BETA9_RSS_FILE: rssFile }, timeout: 60_000 },
  );
  const wallMs = Date.now() - started;
  return {
    dir,
    run: {
      code: result.status,
      output: `${result.stdout}${result.stderr}`,
      rssMb: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : Infinity,
      wallMs,
    },
  };
}

const valid = (name: string) => environmentFile(name);
const figures: string[] = [];

/** Runs one case: exit code 1, every expected message on a line naming its file, within the bounds. */
function expectRefused(
  label: string,
  files: Record<string, string | Buffer>,
  expected: Record<string, RegExp[]>,
) {
  const { run, dir } = validate(files);
  figures.push(`${label}: ${run.wallMs} ms, ${Math.round(run.rssMb)} MB`);
  expect(run.code, run.output).toBe(1);
  for (const [file, messages] of Object.entries(expected)) {
    const lines = run.output.split('\n').filter((l) => l.startsWith(`${join(dir, 'environments', file)}:`));
    for (const message of messages) expect(lines.join('\n'), run.output).toMatch(message);
  }
  expect(run.rssMb).toBeLessThan(MAX_RSS_MB);
  expect(run.wallMs).toBeLessThan(MAX_WALL_MS);
  return run;
}

describe('hostile environment files', () => {
  afterAll(() => {
    console.log(`hostile files (wall, peak RSS of the CLI):\n  ${figures.join('\n  ')}`);
    rmSync(work, { recursive: true, force: true });
  });

  it('the CLI bundle exists (run `npm run build` after changing src/)', () => {
    expect(existsSync(join(ROOT, 'dist/cli/index.cjs'))).toBe(true);
  });

  it('a billion-laughs alias bomb', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = levels
      .map(
        (l, i) =>
          `${l}: &${l} [${
            i === 0
              ? '"lol","lol","lol","lol","lol","lol","lol","lol","lol"'
              : Array(9)
                  .fill(`*${levels[i - 1]}`)
                  .join(',')
          }]`,
      )
      .join('\n');
    expectRefused(
      'alias bomb',
      { 'bomb.yaml': `version: 1\nname: bomb\n${bomb}\n` },
      { 'bomb.yaml': [/alias/i] },
    );
  });

  it('deep nesting, in flow and block style', () => {
    const flow = `version: 1\nname: deep\ncloud: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    const block = `version: 1\nname: deeper\ncloud:\n${Array.from({ length: 400 }, (_, i) => `${' '.repeat(2 * (i + 1))}k:`).join('\n')} 1\n`;
    expectRefused(
      'deep nesting',
      { 'deep.yaml': flow, 'deeper.yaml': block },
      {
        'deep.yaml': [/nested more than 16 levels/],
        'deeper.yaml': [/(nested|indented) more than 16 levels/],
      },
    );
  });

  it('a file of exactly 1 MiB is read; one byte more is refused by its size', () => {
    const pad = (text: string, size: number) => {
      const body = `${text}#`;
      return `${body}${'x'.repeat(size - Buffer.byteLength(body) - 1)}\n`;
    };
    const { run } = validate({ 'big.yaml': pad(valid('big'), MIB) });
    figures.push(`1 MiB file: ${run.wallMs} ms, ${Math.round(run.rssMb)} MB`);
    expect(run.code, run.output).toBe(0);
    expect(run.rssMb).toBeLessThan(MAX_RSS_MB);
    expectRefused('1 MiB + 1 file', { 'big.yaml': pad(valid('big'), MIB + 1) }, { 'big.yaml': [/1 MiB/] });
    // A megabyte of one long scalar is parsed, and refused for what it says, not with a crash.
    expectRefused(
      '1 MiB scalar',
      { 'long.yaml': `version: 1\nname: long\ndescription: ${'y'.repeat(MIB - 40)}\n` },
      { 'long.yaml': [/cloud/] },
    );
  });

  it('binary bytes, NUL, invalid UTF-8 and a UTF-16 byte order mark', () => {
    expectRefused(
      'binary',
      {
        'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe, 0x00]),
        'nul.yaml': `version: 1\nname: nul\u0000x\n`,
        'latin1.yaml': Buffer.concat([Buffer.from('version: 1\nname: caf'), Buffer.from([0xe9, 0x0a])]),
        'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')]),
      },
      {
        'binary.yaml': [/UTF-8|binary|control character/i],
        'nul.yaml': [/U\+0000|control character/],
        'latin1.yaml': [/UTF-8/],
        'utf16.yaml': [/UTF-8|UTF-16/],
      },
    );
  });

  it('path tricks in names and file names', () => {
    const run = expectRefused(
      'path tricks',
      {
        'passwd.yaml': valid('passwd').replace('name: passwd', 'name: ../../etc/passwd'),
        'x..y.yaml': valid('x..y'),
        '..yaml': valid('dots'),
      },
      {
        'passwd.yaml': [/name must be .*lowercase.*"\.\.\/\.\.\/etc\/passwd"/],
        'x..y.yaml': [/name must be .*"x\.\.y"/],
        '..yaml': [/must equal the file name/],
      },
    );
    // Nothing was written outside the case directory.
    expect(run.output).not.toMatch(/EACCES|ENOENT|stack|at .*\.js:\d+/);
  });

  it('two files declaring one name', () => {
    expectRefused(
      'colliding names',
      { 'dup.yaml': valid('dup'), 'dup.yml': valid('dup') },
      { 'dup.yml': [/"dup" is also declared in .*dup\.yaml/] },
    );
  });

  it('a pull request declaring a name another repository already declares gets a failing check on that line', async () => {
    const fixture = await new Fixture([]).start();
    const env = fixture.serverEnv('index.db', { LOG_LEVEL: 'silent' });
    // The index already knows `taken` from another repository.
    const engine = createEngine();
    const { config } = engine.parse('environments/taken.yaml', valid('taken'));
    const store = new IndexStore(env.DATABASE_PATH!);
    store.putEnvironment(
      recordFromConfig(
        {
          repo: 'other-org/platform',
          path: 'environments/taken.yaml',
          config: config!,
          model: engine.model(config!),
          at: new Date().toISOString(),
        },
        undefined,
      ),
    );
    store.close();
    const server = await startServer(env);
    try {
      fixture.repo.git('checkout', '-q', '-b', 'pr-1', 'main');
      fixture.repo.write('environments/taken.yaml', valid('taken'));
      const head = fixture.repo.commit('declare taken');
      fixture.repo.git('checkout', '-q', 'main');
      const pr = { number: 1, base: 'main', head: 'pr-1', fork: false, merged: false };
      fixture.github.pulls.set(1, pr);
      const status = await deliver(server.url, 'pull_request', {
        action: 'opened',
        number: 1,
        pull_request: fixture.github.pullPayload(pr),
        repository: fixture.github.repository(),
        installation: { id: 77 },
        sender: { login: 'octocat', id: 2 },
      });
      expect(status).toBe(200);
      const check = await until('the validate check run', () =>
        fixture.github.recorded.checkRuns.find((c) => c.head_sha === head && c.status === 'completed'),
      );
      expect(check.conclusion).toBe('failure');
      expect(check.annotations).toEqual([
        expect.objectContaining({
          path: 'environments/taken.yaml',
          start_line: 2,
          message: expect.stringMatching(/'taken' is already declared by other-org\/platform/),
        }),
      ]);
    } finally {
      await halt(server);
      await fixture.stop();
    }
  });
});
