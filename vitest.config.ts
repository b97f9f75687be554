import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import type {} from './test/upstreams/provided.ts';

// Five projects: `unit` (Node: src/, sync/, compiler goldens), `agent` (the
// sync agent against a test Kubernetes API server), `deploy` (Cloudflare API
// publishing against a stand-in, deployment files), `worker`
// (inside workerd, through @cloudflare/vitest-plugin) and `e2e` (Node,
// driving the real `edgress` CLI against local echo servers).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'sync/**/*.test.ts', 'test/compile/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        // The options are a function so they can use the addresses of the
        // upstreams (echo servers, fake relay) that globalSetup started.
        plugins: [cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            remoteBindings: false,
            miniflare: {
              // The test runner itself imports node:* modules; the worker does not.
              compatibilityFlags: ['nodejs_compat'],
              // Every request re-reads the table pointer, so a test sees what it just published;
              // pods are the echo servers (wrangler.toml deploys with TRANSPORT = "vpc", whose
              // binding only exists on Cloudflare: remoteBindings is off and tests stub it).
              bindings: { TABLE_REFRESH_MS: '0', TRANSPORT: 'direct' },
              serviceBindings: { DEV_RELAY: { external: { address: inject('upstreams').relay, http: {} } } },
            },
          }))],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts', 'worker/**/*.test.ts'],
          globalSetup: ['test/upstreams/global-setup.ts'],
        },
      },
      {
        // The sync agent against the test Kubernetes API server (test/kube/).
        test: {
          name: 'agent',
          include: ['test/kube/**/*.test.ts', 'test/agent/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Publishing to Workers KV, tunnel configuration and rollback against a
        // local stand-in of the Cloudflare API; deploy/ manifests, wrangler.toml.
        test: {
          name: 'deploy',
          include: ['test/cloudflare/**/*.test.ts', 'test/deploy/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
