/**
 * Keeps secrets out of every line we print or return. A Redactor learns each secret value
 * as soon as it is read (database password, tokens) and masks it wherever it appears later,
 * including in error messages that a library built from a request body.
 */
export const MASK = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value to mask. Values shorter than 4 characters would mask ordinary text, so they are refused. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 4) return;
    this.secrets.add(value);
    // Secrets also travel base64-encoded (Kubernetes Secret data) and URL-encoded.
    this.secrets.add(Buffer.from(value, 'utf8').toString('base64'));
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
  }

  redact(text: string): string {
    let out = text;
    // Longest first so that a secret containing another one is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(MASK);
    }
    return out;
  }

  /** Wraps a line sink so that everything written to it is redacted. */
  wrap(sink: ((line: string) => void) | undefined): (line: string) => void {
    return (line) => sink?.(this.redact(line));
  }
}
