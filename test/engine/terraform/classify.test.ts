import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  diagnosticsFromText,
  parseGoTime,
  parseLockInfo,
} from '../../../src/engine/terraform/index.js';

const LOCK_TEXT = `╷
│ Error: Error acquiring the state lock
│ 
│ Error message: operation error S3: PutObject, https response error StatusCode: 412, RequestID: X, api error PreconditionFailed: At least one of the pre-conditions you specified did not hold
│ Lock Info:
│   ID:        4c5a2d0e-8f33-2a17-95cb-2f9f1a5e7c11
│   Path:      beta9-tf-state-123456789012-us-east-1/environments/ml/terraform.tfstate
│   Operation: OperationTypePlan
│   Who:       runner@fv-az101-1
│   Version:   1.11.4
│   Created:   2026-11-25 23:10:11.123456789 +0000 UTC
│   Info:      
│ 
│ 
│ Terraform acquires a state lock to protect the state from being written
│ by multiple users at the same time.
╵
`;

const classify = (text: string) =>
  classifyFailure({ operation: 'plan', exitCode: 1, diagnostics: diagnosticsFromText(text), text });

describe('classifyFailure on human (non -json) output', () => {
  it('reads the lock info block inside the box drawing', () => {
    const f = classify(LOCK_TEXT);
    expect(f.class).toBe('lock_held');
    expect(f.lock).toEqual({
      id: '4c5a2d0e-8f33-2a17-95cb-2f9f1a5e7c11',
      path: 'beta9-tf-state-123456789012-us-east-1/environments/ml/terraform.tfstate',
      operation: 'OperationTypePlan',
      who: 'runner@fv-az101-1',
      version: '1.11.4',
      created: '2026-11-25 23:10:11.123456789 +0000 UTC',
      createdAt: '2026-11-25T23:10:11.123Z',
    });
    expect(f.message).toBe(
      'The state is locked by another operation. Held by runner@fv-az101-1 for plan since 2026-11-25T23:10:11.123Z (lock ID 4c5a2d0e-8f33-2a17-95cb-2f9f1a5e7c11).',
    );
  });

  it.each([
    [
      'Error: creating EKS Cluster (x): AccessDeniedException: User: arn:aws:sts::1:assumed-role/r is not authorized to perform: eks:CreateCluster',
      'credentials',
    ],
    ['Error: No valid credential sources found', 'credentials'],
    ['Error: googleapi: Error 403: Permission denied on resource project p., forbidden', 'credentials'],
    [
      'Error: creating EKS Node Group: VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 32 allows',
      'quota',
    ],
    [
      "Error: googleapi: Error 403: Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-central1.",
      'quota',
    ],
    [
      'Error: creating EC2 Instance: InsufficientInstanceCapacity: We currently do not have sufficient g5.xlarge capacity',
      'quota',
    ],
    ['Error: describing VPCs: RequestLimitExceeded: Request limit exceeded.', 'network'],
    ['Error: reading S3 Bucket: dial tcp: lookup s3.amazonaws.com: no such host', 'network'],
    [
      'Error: Invalid reference\n\nA reference to a resource type must be followed by at least one attribute access',
      'config',
    ],
    ['Error: Saved plan is stale', 'config'],
    ['Error: something nobody has seen before', 'unknown'],
  ])('%s -> %s', (text, cls) => {
    const f = classify(text);
    expect(f.class).toBe(cls);
    expect(f.retryable).toBe(cls === 'network');
    expect(f.message.length).toBeGreaterThan(0);
  });

  it('reads Go and ISO times', () => {
    expect(parseGoTime('2026-11-25 23:10:11.123456789 +0000 UTC')?.toISOString()).toBe(
      '2026-11-25T23:10:11.123Z',
    );
    expect(parseGoTime('2026-11-25 23:10:11 -0500 EST')?.toISOString()).toBe('2026-11-26T04:10:11.000Z');
    expect(parseGoTime('2026-11-25T23:10:11Z')?.toISOString()).toBe('2026-11-25T23:10:11.000Z');
    expect(parseGoTime('not a time')).toBeUndefined();
    expect(parseLockInfo('no lock here')).toBeUndefined();
  });
});
