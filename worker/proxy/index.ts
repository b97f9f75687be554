/**
 * Proxy hygiene, in one place: which headers cross the edge in each
 * direction and which the edge sets for the pod.
 */
export {
  asHeaders,
  EDGE_ONLY,
  EDGE_ONLY_PREFIXES,
  editedHeaders,
  HOP_BY_HOP,
  hopByHopPresent,
  hostPort,
  isEdgeOnly,
  isUrlOverride,
  isWebSocketUpgrade,
  removeHopByHop,
  setForwardingHeaders,
  upstreamRequestHeaders,
  URL_OVERRIDES,
  type ForwardingFacts,
  type HeaderRecord,
  type UpstreamHeaders,
} from './headers.ts';
export { clientResponse, isUpstreamResponse, NULL_BODY_STATUS, passThroughResponse } from './response.ts';
