/** The transport the `TRANSPORT` var names, built once per env object. */
import type { EdgeEnv } from '../env.ts';
import { EdgeError } from '../errors.ts';
import type { Settings, TransportKind } from '../settings.ts';
import { devRelayTransport } from './dev-relay.ts';
import { directTransport } from './direct.ts';
import type { Transport } from './types.ts';

export { TransportError, type Transport, type TransportFailure, type UpstreamRequest } from './types.ts';
export { RELAY_HEADERS } from './dev-relay.ts';

const TRANSPORTS: { readonly [K in TransportKind]: (env: EdgeEnv) => Transport } = {
  direct: () => directTransport,
  'dev-relay': (env) => {
    if (!env.DEV_RELAY) throw new EdgeError(500, undefined, { cause: 'TRANSPORT is dev-relay but DEV_RELAY is not bound' });
    return devRelayTransport(env.DEV_RELAY);
  },
};

const cache = new WeakMap<EdgeEnv, Transport>();

export function transportFor(env: EdgeEnv, settings: Settings): Transport {
  let transport = cache.get(env);
  if (!transport) {
    transport = TRANSPORTS[settings.transport](env);
    cache.set(env, transport);
  }
  return transport;
}
