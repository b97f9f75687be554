/** The transport the `TRANSPORT` var names, built once per env object by `../runtime/runtime.ts`. */
import { parseHostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import type { EdgeEnv } from '../base/env.ts';
import { EdgeError } from '../base/errors.ts';
import type { TransportKind } from '../base/settings.ts';
import { devRelayTransport } from './dev-relay.ts';
import { directTransport } from './direct.ts';
import { tunnelHostnamesTransport } from './tunnel-hostnames.ts';
import type { Transport } from './types.ts';
import { vpcTransport } from './vpc.ts';

export { TransportError, type Transport, type TransportFailure, type UpstreamRequest } from './types.ts';
export { RELAY_HEADERS } from './dev-relay.ts';

const TRANSPORTS: { readonly [K in TransportKind]: (env: EdgeEnv) => Transport } = {
  vpc: (env) => vpcTransport(env.VPC ?? misconfigured('TRANSPORT is vpc but no VPC binding (vpc_networks) is bound')),
  'tunnel-hostnames': (env) => {
    const parsed = parseHostnameTemplate(env.TUNNEL_HOSTNAME_TEMPLATE ?? '');
    if (!parsed.ok) misconfigured(`TUNNEL_HOSTNAME_TEMPLATE ${parsed.error}`);
    const [clientId, clientSecret] = [env.TUNNEL_ACCESS_CLIENT_ID, env.TUNNEL_ACCESS_CLIENT_SECRET];
    if (Boolean(clientId) !== Boolean(clientSecret)) misconfigured('set both TUNNEL_ACCESS_CLIENT_ID and TUNNEL_ACCESS_CLIENT_SECRET, or neither');
    return tunnelHostnamesTransport({ template: parsed.template, ...(clientId && clientSecret ? { accessToken: { clientId, clientSecret } } : {}) });
  },
  direct: () => directTransport,
  'dev-relay': (env) => devRelayTransport(env.DEV_RELAY ?? misconfigured('TRANSPORT is dev-relay but DEV_RELAY is not bound')),
};

function misconfigured(cause: string): never {
  throw new EdgeError(500, undefined, { cause });
}

/** The transport `kind` names for `env`; throws an `EdgeError` (500) naming what is missing. */
export function buildTransport(env: EdgeEnv, kind: TransportKind): Transport {
  return TRANSPORTS[kind](env);
}
