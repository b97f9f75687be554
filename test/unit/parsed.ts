// Shared by parser tests: a parse result `{ ok, … }` that must be a failure naming `error`.
import { expect } from 'vitest';

export function expectRejected(parsed: { readonly ok: true } | { readonly ok: false; readonly error: string }, error: string): void {
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.error).toContain(error);
}
