// The credential fixtures exist twice: as the files the tools wrote and as
// data for tests that cannot read files (workerd). They must agree.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { HTDIGEST, HTPASSWD } from '../fixtures/auth/credentials.ts';

it('credentials.ts holds the lines of htpasswd and htdigest', () => {
  expect(HTPASSWD).toBe(readFileSync(new URL('../fixtures/auth/htpasswd', import.meta.url), 'utf8'));
  expect(HTDIGEST).toBe(readFileSync(new URL('../fixtures/auth/htdigest', import.meta.url), 'utf8'));
});
