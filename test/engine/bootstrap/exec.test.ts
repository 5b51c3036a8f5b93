import { describe, expect, it } from 'vitest';
import { spawnExec } from '../../../src/engine/bootstrap/exec.js';

describe('spawnExec', () => {
  it('streams lines from both streams and returns the exit code', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const r = await spawnExec(
      process.execPath,
      ['-e', 'console.log("a\\nb"); console.error("warn"); process.exit(3)'],
      {
        onStdoutLine: (l) => out.push(l),
        onStderrLine: (l) => err.push(l),
      },
    );
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, stdout: 'a\nb\n' });
    expect(out).toEqual(['a', 'b']);
    expect(err).toEqual(['warn']);
  });

  it('stops a process that outlives its deadline', async () => {
    const r = await spawnExec(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('rejects with ENOENT for a missing binary', async () => {
    await expect(spawnExec('/nonexistent/helm', [], {})).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
