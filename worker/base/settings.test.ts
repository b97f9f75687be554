import { describe, expect, it } from 'vitest';
import type { EdgeEnv } from './env.ts';
import { EdgeError } from './errors.ts';
import { runtimeOf } from '../runtime/runtime.ts';
import { SETTING_DEFAULTS } from './settings.ts';

const envWith = (vars: Partial<Record<keyof EdgeEnv, string>>) => ({ TABLE: {} as KVNamespace, ...vars }) as EdgeEnv;

describe('the runtime\'s settings', () => {
  it('applies defaults for unset vars', () => {
    expect(runtimeOf(envWith({})).settings).toEqual({
      tableRefreshMs: SETTING_DEFAULTS.tableRefreshMs,
      tableReadTimeoutMs: 3_000,
      upstreamTimeoutMs: 100_000,
      transport: 'direct',
      trustForwardedProto: false,
    });
  });

  it('reads every var', () => {
    const env = envWith({ TABLE_REFRESH_MS: '0', TABLE_READ_TIMEOUT_MS: '50', UPSTREAM_TIMEOUT_MS: '250', TRANSPORT: 'dev-relay', TRUST_FORWARDED_PROTO: 'true' });
    expect(runtimeOf(env).settings).toEqual({ tableRefreshMs: 0, tableReadTimeoutMs: 50, upstreamTimeoutMs: 250, transport: 'dev-relay', trustForwardedProto: true });
  });

  it.each([{ TRANSPORT: 'tunnel' }, { UPSTREAM_TIMEOUT_MS: '10s' }, { TABLE_REFRESH_MS: '-1' }, { TABLE_READ_TIMEOUT_MS: 'soon' }])(
    'answers 500 for a malformed var: %j',
    (vars) => {
      const error = (() => {
        try {
          runtimeOf(envWith(vars));
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(EdgeError);
      expect((error as EdgeError).status).toBe(500);
    },
  );
});

describe('the runtime', () => {
  it('is built once per env object', () => {
    const env = envWith({});
    expect(runtimeOf(env)).toBe(runtimeOf(env));
    expect(runtimeOf(envWith({}))).not.toBe(runtimeOf(env));
  });

  it('answers 500 only where a malformed traffic var or a missing transport binding is needed', () => {
    const runtime = runtimeOf(envWith({ DRR_ADJUST_MS: 'often', TRANSPORT: 'vpc' }));
    expect(runtime.settings.transport).toBe('vpc');
    const thrown = (use: () => unknown) => {
      try {
        use();
      } catch (error) {
        return error;
      }
    };
    for (const use of [() => runtime.traffic(), () => runtime.transport()]) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(EdgeError);
      expect((error as EdgeError).status).toBe(500);
      // The same error every time: the part is not rebuilt per request.
      expect(thrown(use)).toBe(error);
    }
  });
});
