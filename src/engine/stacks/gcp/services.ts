import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { Construct } from '../cdktf.js';

/** The Google APIs an environment uses, by the concern that needs them. */
export const GCP_APIS = {
  network: ['compute.googleapis.com', 'servicenetworking.googleapis.com'],
  cluster: ['container.googleapis.com', 'iam.googleapis.com'],
  database: ['sqladmin.googleapis.com', 'secretmanager.googleapis.com'],
  cache: ['redis.googleapis.com'],
} as const;

export type GcpConcern = keyof typeof GCP_APIS;

/**
 * Enables the APIs a fresh project lacks. They are left enabled on destroy: other workloads in the
 * project may use them, and disabling an API can delete resources Terraform does not manage.
 */
export class GcpApis extends Construct {
  readonly byConcern: Record<GcpConcern, ProjectService[]>;

  constructor(scope: Construct, id: string, config: { project: string }) {
    super(scope, id);
    const enable = (service: string): ProjectService =>
      new ProjectService(this, service.split('.')[0]!, {
        project: config.project,
        service,
        disableOnDestroy: false,
        disableDependentServices: false,
      });
    this.byConcern = Object.fromEntries(
      Object.entries(GCP_APIS).map(([concern, services]) => [concern, services.map(enable)]),
    ) as Record<GcpConcern, ProjectService[]>;
  }
}
