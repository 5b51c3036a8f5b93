import * as core from '@actions/core';

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * The runner's side of the Action: logs, annotations, outputs, masking, OIDC tokens and the job
 * summary. Production uses @actions/core (workflow commands, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY);
 * tests pass a memory implementation.
 */
export interface ActionIO {
  info(message: string): void;
  warning(message: string, props?: AnnotationProps): void;
  /** `::error file=…,line=…,col=…::message` when props name a file. */
  error(message: string, props?: AnnotationProps): void;
  notice(message: string, props?: AnnotationProps): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setOutput(name: string, value: string): void;
  setSecret(value: string): void;
  getIdToken(audience: string): Promise<string>;
  /** Appends Markdown to the job summary (written when the run ends). */
  summary(markdown: string): void;
  flushSummary(): Promise<void>;
  setFailed(message: string): void;
}

const SUMMARY_LIMIT = 1_000_000;

export function createCoreIO(): ActionIO {
  const parts: string[] = [];
  return {
    info: (m) => core.info(m),
    warning: (m, p) => core.warning(m, p),
    error: (m, p) => core.error(m, p),
    notice: (m, p) => core.notice(m, p),
    group: (name, fn) => core.group(name, fn),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (v) => core.setSecret(v),
    getIdToken: (aud) => core.getIDToken(aud),
    summary: (md) => {
      parts.push(md);
    },
    async flushSummary() {
      if (parts.length === 0 || !process.env.GITHUB_STEP_SUMMARY) return;
      // GitHub refuses a step summary over 1 MiB; the full plans are in the artifact.
      let text = parts.join('\n\n');
      if (text.length > SUMMARY_LIMIT)
        text = `${text.slice(0, SUMMARY_LIMIT)}\n\n… (truncated; the complete plans are in the run's artifact)`;
      await core.summary.addRaw(text, true).write();
      parts.length = 0;
    },
    setFailed: (m) => core.setFailed(m),
  };
}

/** Records everything; for unit tests and local dry runs. */
export class MemoryIO implements ActionIO {
  readonly lines: string[] = [];
  readonly annotations: Array<{
    level: 'error' | 'warning' | 'notice';
    message: string;
    props?: AnnotationProps;
  }> = [];
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly summaries: string[] = [];
  failed?: string;
  constructor(
    private readonly idToken: (audience: string) => Promise<string> = async () => 'test-oidc-token',
  ) {}
  info(m: string) {
    this.lines.push(m);
  }
  warning(message: string, props?: AnnotationProps) {
    this.annotations.push({ level: 'warning', message, props });
  }
  error(message: string, props?: AnnotationProps) {
    this.annotations.push({ level: 'error', message, props });
  }
  notice(message: string, props?: AnnotationProps) {
    this.annotations.push({ level: 'notice', message, props });
  }
  async group<T>(name: string, fn: () => Promise<T>) {
    this.lines.push(`## ${name}`);
    return fn();
  }
  setOutput(name: string, value: string) {
    this.outputs[name] = value;
  }
  setSecret(value: string) {
    this.secrets.push(value);
  }
  getIdToken(audience: string) {
    return this.idToken(audience);
  }
  summary(md: string) {
    this.summaries.push(md);
  }
  async flushSummary() {}
  setFailed(message: string) {
    this.failed = message;
  }
}
