import { AWS_REGIONS, GCP_REGIONS } from '../../engine/config/regions.js';
import { STATUSES } from '../../engine/report/types.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query.js';

/**
 * The OpenAPI 3.1 description of every route, written by hand next to the routes it describes.
 * A test checks that the routes the app serves and the paths listed here are the same set.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });
const time = { type: 'string', format: 'date-time' };
const timeOrNull = { type: ['string', 'null'], format: 'date-time' };

const json = (schema: object, description: string) => ({
  description,
  headers: { ETag: { $ref: '#/components/headers/ETag' } },
  content: { 'application/json': { schema } },
});
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});
const notModified = { description: 'Not modified: the `If-None-Match` ETag is current.' };
const apiErrors = {
  '304': notModified,
  '401': error('A bearer token is required (API_TOKENS is set) and was missing or wrong.'),
};

const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  description: 'The environment name (the file stem of `environments/<name>.yaml`).',
  schema: { type: 'string', pattern: '^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$' },
};
const limitParam = {
  name: 'limit',
  in: 'query',
  description: `Page size, ${1} to ${MAX_LIMIT}.`,
  schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
};
const cursorParam = {
  name: 'cursor',
  in: 'query',
  description: '`next_cursor` of the previous page. Leave it out for the first page.',
  schema: { type: 'string' },
};
const ifNoneMatch = { $ref: '#/components/parameters/IfNoneMatch' };
const secured = [{ bearerAuth: [] }, {}];

const statusSchema = { type: 'string', enum: [...STATUSES] };
const outputs = {
  type: 'object',
  description:
    'Terraform outputs without sensitive values (`vpc_id`, `cluster_name`, `cluster_endpoint`, ...).',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

const summaryProperties = {
  name: { type: 'string' },
  repo: { type: 'string', description: '`owner/repo` that declares the environment.' },
  path: { type: 'string', description: 'Path of the environment file in that repository.' },
  cloud: { type: 'string', enum: ['aws', 'gcp'] },
  region: { type: 'string' },
  account: { type: 'string', description: 'AWS account id or GCP project id.' },
  status: statusSchema,
  stale: {
    type: 'boolean',
    description: 'True when stuck in a transitional status longer than the stale threshold.',
  },
  drift: nullable(ref('Drift')),
  outputs,
  outputs_withheld: {
    type: 'array',
    items: { type: 'string' },
    description: 'Names of outputs withheld because they look sensitive.',
  },
  error_message: { type: ['string', 'null'] },
  last_counts: nullable(ref('PlanCounts')),
  created_at: time,
  updated_at: time,
  provisioned_at: timeOrNull,
  destroyed_at: timeOrNull,
  status_changed_at: { ...time, description: 'When the current status was entered.' },
  last_commit: { type: ['string', 'null'] },
  last_run_url: { type: ['string', 'null'], format: 'uri' },
  last_pr: nullable(ref('PullRequest')),
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Beta9 Provisioner API',
    version: '1.0.0',
    description:
      'Read-only view of the environments the Beta9 Provisioner knows. Environments change only through Git; ' +
      'this API answers what their state is and what their outputs are. Every read carries a weak `ETag` and ' +
      'answers `304` to a matching `If-None-Match`. Errors share one shape: `{"error":{"code","message"}}`.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'environments', description: 'Environments, their history and their live status.' },
    { name: 'service', description: 'Health, metrics, documentation and the status page.' },
  ],
  paths: {
    '/health': {
      get: {
        tags: ['service'],
        summary: 'Liveness of the server and its index',
        operationId: 'health',
        responses: {
          '200': json(ref('Health'), 'The index can be read.'),
          '503': error('The index cannot be read.'),
        },
      },
    },
    '/api/v1/environments': {
      get: {
        tags: ['environments'],
        summary: 'List environments',
        description: 'Ordered by name (a stable order); page with `limit` and `cursor`.',
        operationId: 'listEnvironments',
        security: secured,
        parameters: [
          { name: 'status', in: 'query', schema: statusSchema, description: 'Only this status.' },
          { name: 'cloud', in: 'query', schema: { type: 'string', enum: ['aws', 'gcp'] } },
          {
            name: 'region',
            in: 'query',
            schema: { type: 'string', enum: [...AWS_REGIONS, ...GCP_REGIONS] },
            description:
              'An AWS or GCP region, e.g. `us-east-1` or `europe-west4` (of `cloud`, when that is given).',
          },
          {
            name: 'repo',
            in: 'query',
            schema: { type: 'string' },
            description: '`owner/name` of the declaring repository.',
          },
          limitParam,
          cursorParam,
          ifNoneMatch,
        ],
        responses: {
          '200': json(ref('EnvironmentList'), 'One page of environments.'),
          '400': error('A query parameter is unknown, repeated or invalid; the message names it.'),
          ...apiErrors,
        },
      },
    },
    '/api/v1/environments/{name}': {
      get: {
        tags: ['environments'],
        summary: 'One environment',
        operationId: 'getEnvironment',
        security: secured,
        parameters: [nameParam, ifNoneMatch],
        responses: {
          '200': json(ref('Environment'), 'The environment.'),
          '404': error('No environment has this name.'),
          ...apiErrors,
        },
      },
    },
    '/api/v1/environments/{name}/events': {
      get: {
        tags: ['environments'],
        summary: "An environment's status history, newest first",
        operationId: 'listEvents',
        security: secured,
        parameters: [nameParam, limitParam, cursorParam, ifNoneMatch],
        responses: {
          '200': json(ref('EventList'), 'One page of status events.'),
          '400': error('`limit` or `cursor` is invalid.'),
          '404': error('No environment has this name.'),
          ...apiErrors,
        },
      },
    },
    '/api/v1/environments/{name}/watch': {
      get: {
        tags: ['environments'],
        summary: "Server-Sent Events: an environment's status changes",
        description:
          'A `text/event-stream`. The first event, `status`, carries the current state as ' +
          '`{"environment": Environment, "event": null}`; then one `status` event per change as ' +
          '`{"environment": Environment, "event": StatusEvent}` with `id` = the event id. ' +
          'A `: heartbeat` comment arrives every 15 seconds. On reconnect the first event is the current state again.',
        operationId: 'watchEnvironment',
        security: secured,
        parameters: [nameParam],
        responses: {
          '200': {
            description: 'The event stream.',
            content: { 'text/event-stream': { schema: ref('WatchEvent') } },
          },
          '404': error('No environment has this name.'),
          '401': apiErrors['401'],
          '503': error(
            'The server already serves its maximum of watch streams; retry after `Retry-After` seconds.',
          ),
        },
      },
    },
    '/api/v1/environments/{name}/badge.svg': {
      get: {
        tags: ['environments'],
        summary: 'A status badge for READMEs',
        operationId: 'environmentBadge',
        security: secured,
        parameters: [nameParam, ifNoneMatch],
        responses: {
          '200': {
            description: 'An SVG badge: the name and the status, coloured by status.',
            headers: { ETag: { $ref: '#/components/headers/ETag' } },
            content: { 'image/svg+xml': { schema: { type: 'string' } } },
          },
          '404': error('No environment has this name.'),
          ...apiErrors,
        },
      },
    },
    '/api/v1/events/watch': {
      get: {
        tags: ['environments'],
        summary: "Server-Sent Events: every environment's status changes",
        description:
          'A `text/event-stream` for dashboards. It opens with a `ready` event, then sends one `status` event per ' +
          'change as `{"environment": EnvironmentSummary, "event": StatusEvent}`, plus `: heartbeat` comments.',
        operationId: 'watchAll',
        security: secured,
        responses: {
          '200': {
            description: 'The event stream.',
            content: { 'text/event-stream': { schema: ref('WatchAllEvent') } },
          },
          '401': apiErrors['401'],
          '503': error(
            'The server already serves its maximum of watch streams; retry after `Retry-After` seconds.',
          ),
        },
      },
    },
    '/openapi.json': {
      get: {
        tags: ['service'],
        summary: 'This document',
        operationId: 'openapi',
        responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1.'), '304': notModified },
      },
    },
    '/docs': {
      get: {
        tags: ['service'],
        summary: 'This document, rendered as HTML',
        operationId: 'docs',
        responses: {
          '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
          '304': notModified,
        },
      },
    },
    '/metrics': {
      get: {
        tags: ['service'],
        summary: 'Prometheus metrics',
        description:
          '`provisioning_environments_total{status}`, `provisioning_duration_seconds`, ' +
          '`provisioning_errors_total{cloud,region}`, `api_requests_total{method,endpoint,status}`, ' +
          '`api_request_duration_seconds{method,endpoint}`, `webhook_deliveries_total{event,result}`, ' +
          '`provisioning_index_environments`, `provisioning_index_events`, `provisioning_index_size_bytes`, ' +
          'and the Node process metrics.',
        operationId: 'metrics',
        responses: {
          '200': {
            description: 'Prometheus text exposition format.',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/': {
      get: {
        tags: ['service'],
        summary: 'The status page',
        description: 'Every environment with live updates. Asks for a token when API_TOKENS is set.',
        operationId: 'statusPage',
        responses: {
          '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
          '304': notModified,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description:
          'Required on every /api/v1 route when the server has API_TOKENS set; otherwise the API is open.',
      },
    },
    headers: {
      ETag: { description: 'Weak hash of the body.', schema: { type: 'string' } },
    },
    parameters: {
      IfNoneMatch: {
        name: 'If-None-Match',
        in: 'header',
        description: 'An ETag from an earlier answer; a match gets `304 Not Modified`.',
        schema: { type: 'string' },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                description:
                  '`invalid_parameter`, `not_found`, `method_not_allowed`, `unauthorized`, `unavailable` or `internal`.',
              },
              message: { type: 'string', description: 'What was wrong and how to fix it.' },
            },
          },
        },
      },
      Health: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'string', enum: ['ok'] } },
      },
      Drift: {
        type: 'object',
        required: ['detected', 'checked_at'],
        properties: { detected: { type: 'boolean' }, checked_at: time },
      },
      PullRequest: {
        type: 'object',
        description: 'The pull request that last changed the environment.',
        required: ['number', 'url'],
        properties: { number: { type: 'integer' }, url: { type: 'string', format: 'uri' } },
      },
      PlanCounts: {
        type: 'object',
        description: 'Resource counts of the last plan.',
        properties: Object.fromEntries(
          ['create', 'update', 'delete', 'replace', 'read', 'no_op'].map((k) => [k, { type: 'integer' }]),
        ),
      },
      EnvironmentSummary: {
        type: 'object',
        description: 'An environment without its two large documents (meta_config and infra_model).',
        required: Object.keys(summaryProperties),
        properties: summaryProperties,
      },
      Environment: {
        type: 'object',
        required: [...Object.keys(summaryProperties), 'meta_config', 'infra_model', 'state_backend'],
        properties: {
          ...summaryProperties,
          meta_config: {
            type: ['object', 'null'],
            description:
              'The parsed environment file with defaults applied (schema/environment.v1.schema.json).',
          },
          infra_model: {
            type: ['object', 'null'],
            description:
              'The normalised InfraModel the stacks are built from (sizes resolved to instance types).',
          },
          state_backend: { type: ['object', 'null'], description: 'Where the Terraform state lives.' },
        },
      },
      EnvironmentList: {
        type: 'object',
        required: ['items', 'next_cursor'],
        properties: {
          items: { type: 'array', items: ref('EnvironmentSummary') },
          next_cursor: {
            type: ['string', 'null'],
            description: 'Pass as `cursor` for the next page; null on the last.',
          },
        },
      },
      StatusEvent: {
        type: 'object',
        required: ['id', 'environment', 'status', 'previous_status', 'at'],
        properties: {
          id: { type: 'integer' },
          environment: { type: 'string' },
          status: statusSchema,
          previous_status: { oneOf: [statusSchema, { type: 'null' }] },
          description: { type: ['string', 'null'], description: 'The deployment status description.' },
          at: time,
          deployment_id: { type: ['integer', 'null'] },
          deployment_status_id: { type: ['integer', 'null'] },
          delivery_id: { type: ['string', 'null'], description: 'The webhook delivery that recorded it.' },
          run_url: { type: ['string', 'null'], format: 'uri' },
        },
      },
      EventList: {
        type: 'object',
        required: ['items', 'next_cursor'],
        properties: {
          items: { type: 'array', items: ref('StatusEvent') },
          next_cursor: { type: ['string', 'null'] },
        },
      },
      WatchEvent: {
        type: 'object',
        description: 'The `data` of a `status` event on an environment watch stream.',
        required: ['environment', 'event'],
        properties: { environment: ref('Environment'), event: nullable(ref('StatusEvent')) },
      },
      WatchAllEvent: {
        type: 'object',
        description: 'The `data` of a `status` event on the global watch stream.',
        required: ['environment', 'event'],
        properties: { environment: ref('EnvironmentSummary'), event: ref('StatusEvent') },
      },
    },
  },
} as const;
