import { S3Client } from '@aws-sdk/client-s3';
import { parseEnvironment } from '../engine/config/index.js';
import { toInfraModel } from '../engine/model/index.js';
import { synthStack } from '../engine/stacks/index.js';
import { renderPlanMarkdown, summarizePlan } from '../engine/plan/index.js';
import { diffCost, usd } from '../engine/cost/index.js';
import { ensureGcsStateBucket, ensureS3StateBucket } from '../engine/backend/index.js';
import type { Engine } from './context.js';
import { awsCredentials, gcpCredentials } from './credentials.js';
import type { ActionInputs } from './inputs.js';
import type { ActionIO } from './io.js';
import { createTerraformAdapter } from './terraform.js';
import { runBootstrap } from './bootstrap-adapter.js';

/** The real engine, wired with the inputs (endpoints, binaries, timeouts). */
export function createEngine(inputs: ActionInputs, io: ActionIO): Engine {
  const credentialDeps = {
    getIdToken: (aud: string) => io.getIdToken(aud),
    setSecret: (v: string) => io.setSecret(v),
  };
  return {
    parseEnvironment,
    toInfraModel,
    synthStack,
    createTerraform: (options) => createTerraformAdapter(options),
    summarizePlan: (json) => summarizePlan(json),
    renderPlanMarkdown: (summary, environment, maxChars = 20_000) =>
      renderPlanMarkdown(
        { environment, summary },
        {
          maxChars,
          title: `Plan for \`${environment}\``,
          fullPlanLocation: 'the job summary and the plan artifact of this run',
        },
      ),
    bootstrap: (args) => runBootstrap(args, inputs),
    costLine(after, before) {
      const d = diffCost(before, after);
      const from = d.before ? usd(d.before.monthly_usd) : 'nothing (new environment)';
      return `**Estimated cost:** ${d.summary} (from ${from} to ${usd(d.after?.monthly_usd ?? 0)} per month at list prices; GPU pools at their minimum).`;
    },
    async credentials(config) {
      if (config.cloud.provider === 'aws') {
        return awsCredentials(
          config.cloud,
          {
            environment: config.name,
            runId: inputs.github.runId,
            audience: inputs.aws.audience,
            baseRoleArn: inputs.aws.baseRoleArn,
            endpointUrl: inputs.aws.endpointUrl,
          },
          credentialDeps,
        );
      }
      return gcpCredentials(config.cloud, inputs.gcp, credentialDeps);
    },
    async ensureStateBackend(model, credentials) {
      const backend = model.stateBackend;
      if (backend.type === 's3') {
        if (!credentials.aws)
          throw new Error(`Environment ${model.name} uses an S3 state backend but has no AWS credentials.`);
        const s3 = new S3Client({
          region: backend.region,
          credentials: credentials.aws,
          ...(inputs.aws.endpointUrl ? { endpoint: inputs.aws.endpointUrl, forcePathStyle: true } : {}),
        });
        return ensureS3StateBucket(s3, backend.bucket, backend.region);
      }
      if (!credentials.gcpAccessToken)
        throw new Error(`Environment ${model.name} uses a GCS state backend but has no GCP access token.`);
      return ensureGcsStateBucket({
        bucket: backend.bucket,
        project: model.cloud.account,
        location: model.cloud.region,
        accessToken: credentials.gcpAccessToken,
        baseUrl: inputs.gcp.storageUrl,
      });
    },
  };
}
