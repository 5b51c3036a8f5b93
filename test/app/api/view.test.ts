import { describe, expect, it } from 'vitest';
import { isSensitiveOutput, redactOutputs, safeJson, scrubText } from '../../../src/app/api/view.js';

describe('redaction', () => {
  it('keeps clean bodies byte for byte', () => {
    const value = { a: 'vpc-123', b: [1, 'x'], c: { d: 'https://example.com/path' } };
    expect(safeJson(value)).toBe(JSON.stringify(value));
  });

  it('scrubs credentials anywhere in a body, keeping its shape', () => {
    const body = JSON.parse(
      safeJson({
        config: { tags: { url: 'postgres://app:pa55w0rd@db.internal:5432/app' } },
        list: ['ok', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'],
        note: 'token k8s-aws-v1.aHR0cHM6Ly9zdHM and ya29.a0AfH6SMB',
      }),
    );
    expect(body).toEqual({
      config: { tags: { url: 'postgres://app:[redacted]@db.internal:5432/app' } },
      list: ['ok', '[redacted]'],
      note: 'token [redacted] and [redacted]',
    });
  });

  it('tells secret output names from references to secrets', () => {
    for (const name of [
      'db_password',
      'api_key',
      'client_secret',
      'kubeconfig',
      'access_token',
      'cluster_ca_data',
    ]) {
      expect(isSensitiveOutput(name, 'x'), name).toBe(true);
    }
    for (const name of ['rds_master_user_secret_arn', 'secret_name', 'vpc_id', 'redis_port', 'bucket_name']) {
      expect(isSensitiveOutput(name, 'x'), name).toBe(false);
    }
    expect(isSensitiveOutput('note', 'AKIAABCDEFGHIJKLMNOP')).toBe(true);
    expect(redactOutputs({ vpc_id: 'v', token: 't' })).toEqual({
      outputs: { vpc_id: 'v' },
      withheld: ['token'],
    });
    expect(scrubText('no secrets here')).toBe('no secrets here');
  });
});
