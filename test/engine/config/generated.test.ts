import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the ahead-of-time compiled validator', () => {
  it('matches schema/environment.v1.schema.json (run node scripts/gen-validator.mjs after editing the schema)', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-validator.mjs', '--check'], {
      encoding: 'utf8',
    });
    expect(out).toContain('up to date');
  });
});
