import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('answers inside workerd', async () => {
  const response = await exports.default.fetch('http://example.com/');
  expect(response.status).toBe(503);
});
