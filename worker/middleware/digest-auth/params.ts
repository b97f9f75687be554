/**
 * The auth-params of `Authorization: Digest …` (RFC 7235 §2.1): `name=token`
 * or `name="quoted string"`, comma-separated. Names are case-insensitive;
 * a repeated name, a syntax error, too many params or an oversized header
 * make the whole header unusable (no partial reads).
 */
import { AUTH_LIMITS } from '../auth/limits.ts';

const PREFIX = 'Digest ';
const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SPACE = /[ \t]*/y;

export function digestParams(header: string | null): ReadonlyMap<string, string> | undefined {
  if (header === null || header.length > AUTH_LIMITS.maxAuthorizationBytes || !header.startsWith(PREFIX)) return undefined;
  const reader = new Reader(header, PREFIX.length);
  const params = new Map<string, string>();
  while (!reader.done()) {
    const name = reader.token()?.toLowerCase();
    if (name === undefined || !reader.expect('=')) return undefined;
    const value = reader.peek() === '"' ? reader.quoted() : reader.token();
    if (value === undefined || params.has(name) || params.size >= AUTH_LIMITS.maxDigestParams) return undefined;
    params.set(name, value);
    if (!reader.done() && !reader.expect(',')) return undefined;
  }
  return params;
}

/** A cursor over the header that skips optional whitespace around every item. */
class Reader {
  readonly #text: string;
  #at: number;

  constructor(text: string, at: number) {
    this.#text = text;
    this.#at = at;
    this.#skip();
  }

  done(): boolean {
    return this.#at >= this.#text.length;
  }

  peek(): string | undefined {
    return this.#text[this.#at];
  }

  expect(char: string): boolean {
    if (this.#text[this.#at] !== char) return false;
    this.#at += 1;
    this.#skip();
    return true;
  }

  token(): string | undefined {
    TOKEN.lastIndex = this.#at;
    const match = TOKEN.exec(this.#text);
    if (!match) return undefined;
    this.#at += match[0].length;
    this.#skip();
    return match[0];
  }

  /** A quoted-string with backslash escapes, the cursor on its opening quote. */
  quoted(): string | undefined {
    let value = '';
    for (let at = this.#at + 1; at < this.#text.length; at++) {
      const char = this.#text[at];
      if (char === '"') {
        this.#at = at + 1;
        this.#skip();
        return value;
      }
      if (char === '\\') at += 1;
      if (at >= this.#text.length) return undefined;
      value += this.#text[at];
    }
    return undefined;
  }

  #skip(): void {
    SPACE.lastIndex = this.#at;
    this.#at += SPACE.exec(this.#text)?.[0].length ?? 0;
  }
}
