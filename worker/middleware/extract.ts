/**
 * The request key of a rate or connection limit (Traefik's `extractorfunc`):
 * the client's IP from `CF-Connecting-IP` (docs/design/decisions.md#decision-13-the-client-is-cf-connecting-ip), the Host header as
 * sent (port included), or a header's value; missing → `''`.
 */
import type { Extractor } from '../../src/table/traffic.ts';
import type { RequestContext } from '../chain/context.ts';

export function extractKey(context: RequestContext, extractor: Extractor): string {
  switch (extractor.type) {
    case 'client.ip':
      return context.clientIp ?? '';
    case 'request.host':
      return context.hostHeader;
    case 'request.header':
      return context.request.headers.get(extractor.name) ?? '';
  }
}
