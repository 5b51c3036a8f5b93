import { describe, expect, it } from 'vitest';
import { mergeResults, type ResultsFile } from '../../bench/lib.js';

const machine = { node: 'v20.20.2', platform: 'linux x64', cpus: '2 x EPYC', memory_gb: 23.5 };
const order = ['synth', 'validate', 'api'];
const row = (group: string, name: string, value: number) => ({
  group,
  name: `${group}.${name}`,
  value,
  unit: 'ms',
});

const earlier: ResultsFile = {
  machine,
  measured: { synth: '2026-11-25T10:00:00Z', validate: '2026-11-25T10:05:00Z', api: '2026-11-25T10:09:00Z' },
  results: [row('synth', 'wall', 160), row('validate', 'one', 3), row('api', 'item', 31000)],
};

describe('mergeResults (bench/results.json after `npm run bench -- <group>`)', () => {
  it("replaces the groups that ran and keeps the others' rows and times, in group order", () => {
    const fresh: ResultsFile = {
      machine,
      measured: { validate: '2026-11-26T07:00:00Z' },
      results: [row('validate', 'one', 2.5), row('validate', 'hundred', 39)],
    };
    expect(mergeResults(earlier, fresh, order)).toEqual({
      machine,
      measured: {
        synth: '2026-11-25T10:00:00Z',
        validate: '2026-11-26T07:00:00Z',
        api: '2026-11-25T10:09:00Z',
      },
      results: [
        row('synth', 'wall', 160),
        row('validate', 'one', 2.5),
        row('validate', 'hundred', 39),
        row('api', 'item', 31000),
      ],
    });
  });

  it('keeps nothing from another machine, an old-format file or an unreadable one', () => {
    const fresh: ResultsFile = {
      machine,
      measured: { api: '2026-11-26T07:00:00Z' },
      results: [row('api', 'item', 30000)],
    };
    for (const previous of [
      { ...earlier, machine: { ...machine, node: 'v24.21.0' } },
      { date: '2026-11-25T10:00:00Z', machine, results: [{ name: 'synth.wall', value: 160, unit: 'ms' }] },
      'not json at all',
      undefined,
    ]) {
      expect(mergeResults(previous, fresh, order)).toEqual(fresh);
    }
  });

  it('writes every group of a full run, whatever was there before', () => {
    const fresh: ResultsFile = {
      machine,
      measured: { synth: 't1', validate: 't2', api: 't3' },
      results: [row('synth', 'wall', 150), row('validate', 'one', 2), row('api', 'item', 32000)],
    };
    expect(mergeResults(earlier, fresh, order)).toEqual(fresh);
  });
});
