import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/app/render.js';
import {
  API,
  awsEnvironment,
  contents,
  createTestApp,
  example,
  INSTALLATION,
  mockToken,
  REPO,
  type TestApp,
} from './fixtures/app.js';

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

type Payload = {
  action: string;
  installation?: { id: number };
  repository: { full_name: string; default_branch: string };
  pull_request: {
    number: number;
    head: { sha: string; repo: { full_name: string } };
    base: { repo: { full_name: string } };
  };
};

function prPayload(action: 'opened' | 'synchronize', fork?: string): Payload {
  const payload = example<Payload>('pull_request', (e) => e.action === action && 'installation' in e);
  payload.installation = { id: INSTALLATION };
  if (fork) payload.pull_request.head.repo.full_name = fork;
  return payload;
}

const BAD = `version: 1
name: bad
cloud:
  provider: aws
  region: us-east-9
  account_id: 123456789012
  role_arn: arn:aws:iam::123456789012:role/Beta9Provisioner
clustr:
  size: small
`;

function mockContent(path: string, ref: string, text: string | null): void {
  const scope = nock(API)
    .get(`/repos/${REPO}/contents/${encodeURIComponent(path)}`)
    .query({ ref });
  if (text === null) scope.reply(404, { message: 'Not Found' });
  else scope.reply(200, contents(path, text));
}

function mockFiles(files: { filename: string; status: string; previous_filename?: string }[]): void {
  // Two pages, so the App must follow the Link header.
  const half = Math.ceil(files.length / 2);
  nock(API)
    .get(`/repos/${REPO}/pulls/2/files`)
    .query({ per_page: '100' })
    .reply(200, files.slice(0, half), {
      link: `<${API}/repos/${REPO}/pulls/2/files?per_page=100&page=2>; rel="next", <${API}/repos/${REPO}/pulls/2/files?per_page=100&page=2>; rel="last"`,
    });
  nock(API)
    .get(`/repos/${REPO}/pulls/2/files`)
    .query({ per_page: '100', page: '2' })
    .reply(200, files.slice(half));
}

describe('pull request validation', () => {
  let t: TestApp;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    await t.server.close();
    expect(pending).toEqual([]);
  });

  it('annotates every problem, refuses a protected removal and a taken name, and comments the intent', async () => {
    // Another repository already declares `taken`.
    t.server.store.putEnvironment({
      ...emptyRecord('taken'),
      repo: 'someone/else',
      path: 'environments/taken.yaml',
    });
    mockToken();
    mockFiles([
      { filename: 'README.md', status: 'modified' },
      { filename: 'environments/alpha.yaml', status: 'modified' },
      { filename: 'environments/bad.yaml', status: 'added' },
      { filename: 'environments/prod.yaml', status: 'removed' },
      { filename: 'environments/taken.yaml', status: 'added' },
    ]);
    mockContent(
      'environments/alpha.yaml',
      HEAD,
      awsEnvironment('alpha', { dbSize: 'medium', region: 'us-west-2' }),
    );
    mockContent('environments/alpha.yaml', 'master', awsEnvironment('alpha'));
    mockContent('environments/bad.yaml', HEAD, BAD);
    mockContent('environments/bad.yaml', 'master', null);
    mockContent('environments/prod.yaml', 'master', awsEnvironment('prod', { deletion: 'true' }));
    mockContent('environments/taken.yaml', HEAD, awsEnvironment('taken'));
    mockContent('environments/taken.yaml', 'master', null);

    let check: { conclusion: string; output: { annotations: Record<string, unknown>[] } } | undefined;
    nock(API)
      .post(`/repos/${REPO}/check-runs`, (body) => {
        check = body;
        return body.name === 'beta9 / validate' && body.head_sha === HEAD && body.status === 'completed';
      })
      .reply(201, { id: 77 });
    nock(API)
      .get(`/repos/${REPO}/issues/2/comments`)
      .query({ per_page: '100' })
      .reply(200, [{ id: 1, body: 'LGTM' }]);
    let comment = '';
    nock(API)
      .post(`/repos/${REPO}/issues/2/comments`, (body) => {
        comment = body.body;
        return body.body.startsWith(COMMENT_MARKER);
      })
      .reply(201, { id: 9 });

    await t.receive('pull_request', prPayload('opened'));

    expect(check!.conclusion).toBe('failure');
    const annotations = check!.output.annotations;
    expect(annotations).toContainEqual({
      path: 'environments/bad.yaml',
      start_line: 5,
      end_line: 5,
      start_column: 11,
      end_column: 20,
      annotation_level: 'failure',
      message: expect.stringContaining('us-east-9'),
    });
    expect(annotations).toContainEqual(
      expect.objectContaining({
        path: 'environments/bad.yaml',
        start_line: 8,
        message: expect.stringContaining('did you mean "cluster"'),
      }),
    );
    expect(annotations).toContainEqual(
      expect.objectContaining({
        path: 'environments/prod.yaml',
        start_line: 15,
        start_column: 22,
        message: expect.stringContaining("sets 'deletion_protection: false'"),
      }),
    );
    expect(annotations).toContainEqual(
      expect.objectContaining({
        path: 'environments/taken.yaml',
        start_line: 2,
        message: expect.stringContaining('already declared by someone/else'),
      }),
    );
    expect(annotations).toHaveLength(5);

    expect(comment).toContain('| `alpha` | changed | aws us-west-2 |');
    expect(comment).toContain('database small → medium: db.m7g.large → db.r6g.xlarge');
    expect(comment).toContain('region us-east-1 → us-west-2');
    expect(comment).toMatch(/Warning:\*\* Changing the region replaces every resource/);
    expect(comment).toContain('| `prod` | destroyed |');
    expect(comment).not.toContain('fork');
    // Every log line about the delivery carries its id.
    const validated = t.logs.find(/^Validated Codertocat\/Hello-World#2/)[0]!;
    expect(validated.delivery).toMatch(/^delivery-/);
  });

  it('updates the sticky comment in place on the next push instead of adding one', async () => {
    for (const [action, existing] of [
      ['opened', []],
      [
        'synchronize',
        [
          { id: 5, body: 'hi' },
          { id: 42, body: `${COMMENT_MARKER}\nold` },
        ],
      ],
    ] as const) {
      // Probot caches the installation token across deliveries.
      if (action === 'opened') mockToken();
      mockFiles([{ filename: 'environments/alpha.yaml', status: 'added' }]);
      mockContent('environments/alpha.yaml', HEAD, awsEnvironment('alpha'));
      mockContent('environments/alpha.yaml', 'master', null);
      nock(API)
        .post(
          `/repos/${REPO}/check-runs`,
          (body) => body.conclusion === 'success' && body.output.annotations.length === 0,
        )
        .reply(201, { id: 1 });
      // Comments come in two pages; the marker is on the second one.
      nock(API)
        .get(`/repos/${REPO}/issues/2/comments`)
        .query({ per_page: '100' })
        .reply(
          200,
          existing.slice(0, 1),
          existing.length > 1
            ? { link: `<${API}/repos/${REPO}/issues/2/comments?per_page=100&page=2>; rel="next"` }
            : {},
        );
      if (existing.length > 1) {
        nock(API)
          .get(`/repos/${REPO}/issues/2/comments`)
          .query({ per_page: '100', page: '2' })
          .reply(200, existing.slice(1));
        nock(API)
          .patch(`/repos/${REPO}/issues/comments/42`, (body) => body.body.includes('| `alpha` | created |'))
          .reply(200, { id: 42 });
      } else {
        nock(API)
          .post(`/repos/${REPO}/issues/2/comments`, (body) => body.body.includes('| `alpha` | created |'))
          .reply(201, { id: 42 });
      }
      await t.receive('pull_request', prPayload(action));
      expect(nock.pendingMocks()).toEqual([]);
    }
  });

  it('tells a fork pull request that plans wait for a maintainer', async () => {
    mockToken();
    mockFiles([{ filename: 'environments/alpha.yaml', status: 'added' }]);
    mockContent('environments/alpha.yaml', HEAD, awsEnvironment('alpha'));
    mockContent('environments/alpha.yaml', 'master', null);
    nock(API)
      .post(`/repos/${REPO}/check-runs`, (body) => body.output.summary.includes('fork `mallory/Hello-World`'))
      .reply(201, { id: 1 });
    nock(API).get(`/repos/${REPO}/issues/2/comments`).query({ per_page: '100' }).reply(200, []);
    nock(API)
      .post(`/repos/${REPO}/issues/2/comments`, (body) =>
        body.body.includes('fork `mallory/Hello-World`. Plans run only after a maintainer has reviewed it'),
      )
      .reply(201, { id: 3 });
    await t.receive('pull_request', prPayload('opened', 'mallory/Hello-World'));
  });

  it('creates a green check and no comment when no environment file changed', async () => {
    mockToken();
    mockFiles([{ filename: 'README.md', status: 'modified' }]);
    nock(API)
      .post(
        `/repos/${REPO}/check-runs`,
        (body) => body.conclusion === 'success' && body.output.title === 'No environment files changed',
      )
      .reply(201, { id: 1 });
    nock(API).get(`/repos/${REPO}/issues/2/comments`).query({ per_page: '100' }).reply(200, []);
    await t.receive('pull_request', prPayload('opened'));
  });
});

function emptyRecord(name: string) {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    name,
    repo: REPO,
    path: `environments/${name}.yaml`,
    cloud: 'aws' as const,
    region: 'us-east-1',
    account: '123456789012',
    status: 'ready' as const,
    stale: false,
    drift: null,
    outputs: {},
    meta_config: null,
    infra_model: null,
    state_backend: null,
    error_message: null,
    last_counts: null,
    created_at: at,
    updated_at: at,
    provisioned_at: null,
    destroyed_at: null,
    status_changed_at: at,
    last_commit: null,
    last_run_url: null,
    last_pr: null,
    deployment_id: null,
    deployment_status_id: null,
  };
}
