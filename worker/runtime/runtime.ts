/**
 * The worker's runtime: everything that depends only on the env object
 * (parsed vars, traffic timings, the transport, the table store), built once
 * per env and reused by every request of it. In production the env object
 * lives as long as the isolate; tests that override bindings pass new env
 * objects and get a runtime of their own (the table store stays shared per KV
 * binding, `./table.ts`).
 *
 * A malformed var is a deployment error answered with a 500 naming the var in
 * the log. The main vars (`../base/settings.ts`) fail every request; the traffic
 * vars and the transport's bindings fail only the requests that need them
 * (those sent to a pod), as a redirect or a 404 does not.
 */
import type { TableStore } from '../../src/store/store.ts';
import type { EdgeEnv } from '../base/env.ts';
import { EdgeError } from '../base/errors.ts';
import { parseSettings, type Settings } from '../base/settings.ts';
import { tableStore } from './table.ts';
import { parseTrafficSettings, type TrafficSettings } from '../base/traffic-settings.ts';
import { buildTransport, type Transport } from '../transport/index.ts';

export interface WorkerRuntime {
  readonly env: EdgeEnv;
  readonly settings: Settings;
  /** The isolate's table store for `env.TABLE`. */
  table(): TableStore;
  /** Breaker and `drr` timings, the sticky secret; throws the `EdgeError` of a malformed var. */
  traffic(): TrafficSettings;
  /** How pods are reached; throws the `EdgeError` of a missing binding or malformed var. */
  transport(): Transport;
}

/** A part built once: its value, or the deployment error every use of it answers with. */
type Built<T> = { readonly kind: 'built'; readonly value: T } | { readonly kind: 'misconfigured'; readonly error: EdgeError };

/**
 * Runs `make` once. A thrown `EdgeError` is kept as the part's answer; any
 * other error too, as a 500, when `parses` (a var's value is wrong), else it
 * is rethrown and the next use tries again (a fault, not a setting).
 */
function build<T>(make: () => T, parses: boolean): Built<T> {
  try {
    return { kind: 'built', value: make() };
  } catch (error) {
    if (error instanceof EdgeError) return { kind: 'misconfigured', error };
    if (parses) return { kind: 'misconfigured', error: new EdgeError(500, undefined, { cause: error }) };
    throw error;
  }
}

function valueOf<T>(built: Built<T>): T {
  if (built.kind === 'misconfigured') throw built.error;
  return built.value;
}

/** Built on first use: a part some requests never need does not fail the others. */
function once<T>(make: () => T, parses: boolean): () => T {
  let built: Built<T> | undefined;
  return () => valueOf((built ??= build(make, parses)));
}

const runtimes = new WeakMap<EdgeEnv, Built<WorkerRuntime>>();

/** The runtime of `env`; throws an `EdgeError` (500) naming a malformed var. */
export function runtimeOf(env: EdgeEnv): WorkerRuntime {
  let runtime = runtimes.get(env);
  if (!runtime) {
    runtime = build(() => createRuntime(env), true);
    runtimes.set(env, runtime);
  }
  return valueOf(runtime);
}

function createRuntime(env: EdgeEnv): WorkerRuntime {
  const settings = parseSettings(env);
  let table: TableStore | undefined;
  return {
    env,
    settings,
    table: () => (table ??= tableStore(env.TABLE, settings)),
    traffic: once(() => parseTrafficSettings(env), true),
    transport: once(() => buildTransport(env, settings.transport), false),
  };
}
