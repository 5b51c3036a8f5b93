import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app/engine.js';
import { publishCheckRun, type GitHub } from '../../src/app/github.js';
import { diffEnvironment, type EnvironmentVersion } from '../../src/app/intent.js';
import {
  COMMENT_MARKER,
  renderCheckOutput,
  renderIntentComment,
  toAnnotations,
  type PullRequestReport,
} from '../../src/app/render.js';
import { API, awsEnvironment, TestOctokit } from './fixtures/app.js';

const engine = createEngine({
  monthlyCost: (m) => ({ small: 400, medium: 900, large: 2000 })[m.database.size],
});

function version(name: string, patch: Record<string, string> = {}): EnvironmentVersion {
  const path = `environments/${name}.yaml`;
  const { config, diagnostics } = engine.parse(path, awsEnvironment(name, patch));
  if (!config) throw new Error(JSON.stringify(diagnostics));
  const model = engine.model(config);
  return { path, config, model, monthlyCost: engine.monthlyCost(model) };
}

describe('intent', () => {
  it('names the meaningful differences of a database resize', () => {
    const intent = diffEnvironment(version('ml', { dbSize: 'medium' }), version('ml', { dbSize: 'large' }));
    expect(intent.action).toBe('change');
    expect(intent.changes).toContain('database medium → large: db.r6g.xlarge → db.r6g.2xlarge');
    expect(intent.cost).toEqual({ before: 900, after: 2000 });
    expect(intent.warnings).toEqual([]);
  });

  it('warns about changes that replace everything and about turning deletion protection off', () => {
    const region = diffEnvironment(
      version('ml', { deletion: 'true' }),
      version('ml', { region: 'eu-west-1', deletion: 'false' }),
    );
    expect(region.changes).toEqual(
      expect.arrayContaining(['region us-east-1 → eu-west-1', 'deletion protection on → off']),
    );
    expect(region.warnings.join('\n')).toMatch(/Changing the region replaces every resource of `ml`/);
    expect(region.warnings.join('\n')).toMatch(/removing `environments\/ml.yaml` destroys `ml`/);
    const cidr = diffEnvironment(version('ml'), version('ml', { cidr: '10.30.0.0/16' }));
    expect(cidr.warnings.join('\n')).toMatch(
      /replaces the VPC and everything inside it, including the database/,
    );
  });

  it('says nothing changed when only formatting did', () => {
    expect(diffEnvironment(version('ml'), version('ml'))).toMatchObject({
      action: 'unchanged',
      changes: [],
      warnings: [],
    });
  });
});

describe('rendering', () => {
  const report: PullRequestReport = {
    intents: [
      diffEnvironment(undefined, version('fresh')),
      diffEnvironment(version('ml', { dbSize: 'medium' }), version('ml', { dbSize: 'large' })),
      diffEnvironment(version('old'), undefined),
    ],
    problems: [
      {
        file: 'environments/old.yaml',
        line: 15,
        column: 22,
        endColumn: 26,
        message: 'deletion protection is on',
      },
      { file: 'environments/bad.yaml', line: 3, column: 1, endLine: 5, endColumn: 2, message: 'spans lines' },
    ],
    fork: { repo: 'mallory/fork' },
    headSha: 'abcdef1234567',
  };

  it('renders the sticky comment', () => {
    const body = renderIntentComment(report);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toMatchSnapshot();
  });

  it('renders the check output', () => {
    expect(renderCheckOutput(report)).toMatchSnapshot();
  });

  it('annotates with columns only on one line, as GitHub requires', () => {
    expect(toAnnotations(report.problems)).toEqual([
      {
        path: 'environments/old.yaml',
        start_line: 15,
        end_line: 15,
        start_column: 22,
        end_column: 26,
        annotation_level: 'failure',
        message: 'deletion protection is on',
      },
      {
        path: 'environments/bad.yaml',
        start_line: 3,
        end_line: 5,
        annotation_level: 'failure',
        message: 'spans lines',
      },
    ]);
  });

  it('keeps the comment under the 65,536 character limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({
      file: 'environments/x.yaml',
      line: i + 1,
      column: 1,
      message: 'x'.repeat(40),
    }));
    const body = renderIntentComment({ ...report, problems: many });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('truncated');
  });
});

describe('check run publishing', () => {
  it('sends at most 50 annotations per request and the rest as updates', async () => {
    nock.disableNetConnect();
    const annotations = toAnnotations(
      Array.from({ length: 120 }, (_, i) => ({
        file: 'environments/x.yaml',
        line: i + 1,
        column: 1,
        message: `p${i}`,
      })),
    );
    const sizes: number[] = [];
    nock(API)
      .post('/repos/o/r/check-runs', (body) => {
        sizes.push(body.output.annotations.length);
        return body.output.annotations[0].message === 'p0';
      })
      .reply(201, { id: 9 });
    nock(API)
      .patch('/repos/o/r/check-runs/9', (body) => {
        sizes.push(body.output.annotations.length);
        return body.output.title === 'T';
      })
      .times(2)
      .reply(200, { id: 9 });
    const gh = new TestOctokit({ auth: 'token' }) as unknown as GitHub;
    await publishCheckRun(
      gh,
      { owner: 'o', repo: 'r' },
      {
        name: 'beta9 / validate',
        headSha: 'abc',
        conclusion: 'failure',
        title: 'T',
        summary: 'S',
        annotations,
        completedAt: '2026-01-01T00:00:00.000Z',
      },
    );
    expect(sizes).toEqual([50, 50, 20]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
