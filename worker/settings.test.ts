import { describe, expect, it } from 'vitest';
import type { EdgeEnv } from './env.ts';
import { EdgeError } from './errors.ts';
import { SETTING_DEFAULTS, settingsOf } from './settings.ts';

const envWith = (vars: Partial<Record<keyof EdgeEnv, string>>) => ({ TABLE: {} as KVNamespace, ...vars }) as EdgeEnv;

describe('settingsOf', () => {
  it('applies defaults for unset vars', () => {
    expect(settingsOf(envWith({}))).toEqual({
      tableRefreshMs: SETTING_DEFAULTS.tableRefreshMs,
      tableReadTimeoutMs: 3_000,
      upstreamTimeoutMs: 100_000,
      transport: 'direct',
      trustForwardedProto: false,
    });
  });

  it('reads every var', () => {
    const env = envWith({ TABLE_REFRESH_MS: '0', TABLE_READ_TIMEOUT_MS: '50', UPSTREAM_TIMEOUT_MS: '250', TRANSPORT: 'dev-relay', TRUST_FORWARDED_PROTO: 'true' });
    expect(settingsOf(env)).toEqual({ tableRefreshMs: 0, tableReadTimeoutMs: 50, upstreamTimeoutMs: 250, transport: 'dev-relay', trustForwardedProto: true });
  });

  it.each([{ TRANSPORT: 'tunnel' }, { UPSTREAM_TIMEOUT_MS: '10s' }, { TABLE_REFRESH_MS: '-1' }, { TABLE_READ_TIMEOUT_MS: 'soon' }])(
    'answers 500 for a malformed var: %j',
    (vars) => {
      const error = (() => {
        try {
          settingsOf(envWith(vars));
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(EdgeError);
      expect((error as EdgeError).status).toBe(500);
    },
  );
});
