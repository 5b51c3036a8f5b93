import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { ApiError } from './errors.js';
import { requestHeader } from './http.js';

/** `API_TOKENS` is a comma-separated list; blanks around and between commas are ignored. */
export function parseApiTokens(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Distinct accepted Authorization headers remembered (spelling variants of the configured tokens). */
const ACCEPTED_MAX = 256;

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="beta9-provisioner"' };

/**
 * Throws 401 unless the request has `Authorization: Bearer <token>` with one of `tokens`. The comparison runs over
 * SHA-256 digests, so every comparison has the same length and `timingSafeEqual` leaks neither
 * a token's content nor its length; every configured token is compared, match or not.
 * With no tokens it lets everything through (the open mode the server warns about).
 *
 * Hashing and comparing on every request was a measurable share of a cached read, and a client
 * sends the same header every time: headers that passed are remembered (exact string, at most
 * `ACCEPTED_MAX`), so a repeat skips the digest. Only accepted headers are kept, so a stranger
 * cannot grow the map, and a hit needs the full valid header, so its speed reveals nothing new.
 */
export function bearerCheck(tokens: readonly string[]): (c: Context) => void {
  const expected = tokens.map(digest);
  const accepted = new Set<string>();
  return (c) => {
    if (expected.length === 0) return;
    const header = requestHeader(c, 'authorization');
    if (header !== undefined && accepted.has(header)) return;
    const match = header ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new ApiError(
        401,
        'unauthorized',
        "this API requires a token: send 'Authorization: Bearer <token>' with one of the tokens in API_TOKENS",
        CHALLENGE,
      );
    }
    const given = digest(match[1]!);
    let ok = false;
    for (const candidate of expected) ok = timingSafeEqual(given, candidate) || ok;
    if (!ok) {
      throw new ApiError(401, 'unauthorized', 'the bearer token is not one of the tokens in API_TOKENS', {
        ...CHALLENGE,
        'WWW-Authenticate': 'Bearer realm="beta9-provisioner", error="invalid_token"',
      });
    }
    if (accepted.size >= ACCEPTED_MAX) accepted.clear();
    accepted.add(header!);
  };
}
