import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnExec } from '../../../src/engine/terraform/index.js';

/** Running, as opposed to gone or a zombie waiting for a reaper (containers without an init). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
};

describe('spawnExec', () => {
  it('streams output and returns the exit code', async () => {
    const chunks: string[] = [];
    const r = await spawnExec('sh', ['-c', 'echo out; echo err >&2; exit 3'], {
      cwd: '/tmp',
      env: { PATH: process.env.PATH },
      onStdout: (c) => chunks.push(c),
    });
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, stdout: 'out\n', stderr: 'err\n' });
    expect(chunks.join('')).toBe('out\n');
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    let grandchild = 0;
    const r = await spawnExec('sh', ['-c', 'sleep 30 & echo $!; wait'], {
      cwd: '/tmp',
      env: { PATH: process.env.PATH },
      timeoutMs: 300,
      killGraceMs: 200,
      onStdout: (c) => (grandchild = Number(c.trim())),
    });
    expect(r.timedOut).toBe(true);
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a binary that cannot be started', async () => {
    const r = await spawnExec('no-such-binary-beta9', [], { cwd: '/tmp', env: { PATH: '/nonexistent' } });
    expect(r.spawnError?.code).toBe('ENOENT');
    expect(r.exitCode).toBeNull();
  });
});
