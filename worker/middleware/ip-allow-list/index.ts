/**
 * `ip-allow-list` (Traefik `whitelist-source-range`, docs/guides/access-control.md):
 * the client is `CF-Connecting-IP` (docs/design/decisions.md#decision-13-the-client-is-cf-connecting-ip; under `edgress dev`
 * the socket's peer address). Outside every range, or no client address:
 * 403. With `whitelist-x-forwarded-for`, a request is also let in when any
 * element of its `X-Forwarded-For` (comma-split, trimmed, port removed) is
 * in range — which the client controls, as in Traefik — and an element that
 * is not an address answers 403 at once. With `deny` (ingress-nginx's
 * `denylist-source-range`) a client in range answers 403.
 */
import { parseAddress, RangeList } from '../../../src/net/ip-range.ts';
import { edgeResponse } from '../../base/errors.ts';
import type { MiddlewareFactory } from '../types.ts';

export const ipAllowList: MiddlewareFactory<'ip-allow-list'> = (config) => {
  const ranges = new RangeList(config.ranges);
  const useXForwardedFor = config.useXForwardedFor;
  if (config.deny) {
    // ingress-nginx denylist-source-range: the ranges are refused, everyone else let in.
    return function checkDenyList(context, next) {
      const client = context.clientIp === undefined ? undefined : parseAddress(context.clientIp.trim());
      return client && ranges.contains(client) ? edgeResponse(403) : next();
    };
  }
  return function checkAllowList(context, next) {
    if (useXForwardedFor) {
      const verdict = forwardedVerdict(context.request.headers.get('x-forwarded-for'), ranges);
      if (verdict === 'allow') return next();
      if (verdict === 'refuse') return edgeResponse(403);
    }
    const client = context.clientIp === undefined ? undefined : parseAddress(context.clientIp.trim());
    return client && ranges.contains(client) ? next() : edgeResponse(403);
  };
};

function forwardedVerdict(header: string | null, ranges: RangeList): 'allow' | 'refuse' | 'undecided' {
  if (header === null) return 'undecided';
  for (const element of header.split(',')) {
    const address = parseAddress(withoutPort(element.trim()));
    if (!address) return 'refuse';
    if (ranges.contains(address)) return 'allow';
  }
  return 'undecided';
}

/** `[v6]:port` → `v6`, `a.b.c.d:port` → `a.b.c.d`; anything else unchanged (a bare IPv6 address has no port). */
function withoutPort(element: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(element);
  if (bracketed) return bracketed[1] ?? '';
  const colon = element.indexOf(':');
  return colon !== -1 && colon === element.lastIndexOf(':') ? element.slice(0, colon) : element;
}
