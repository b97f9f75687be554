/**
 * `header-modifier` (Gateway API RequestHeaderModifier and
 * ResponseHeaderModifier): `set` replaces every value of a header, `add`
 * appends one more field value, `remove` deletes it, in that order. The
 * request phase edits the headers sent upstream; the response phase edits
 * the answer the client gets, whoever produced it.
 */
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import { responseOrFailure } from '../../base/errors.ts';
import { clientResponse, isUpstreamResponse } from '../../proxy/index.ts';
import type { MiddlewareFactory } from '../types.ts';

type Edits = Pick<MiddlewareOf<'header-modifier'>, 'set' | 'add' | 'remove'>;

export const headerModifier: MiddlewareFactory<'header-modifier'> = (config) => {
  const edits: Edits = { set: config.set, add: config.add, remove: config.remove };
  if (config.phase === 'request') {
    return function modifyRequestHeaders(context, next) {
      modifyHeaders(context.headers, edits);
      return next();
    };
  }
  return async function modifyResponseHeaders(context, next) {
    // An edge answer (a backendRef's 500, no ready endpoints) gets the edits too: the client sees it.
    const answer = await responseOrFailure(context.route.router.id, next);
    if (answer.webSocket) return answer;
    // Either may have immutable headers: a pod's response passed through untouched (a route whose
    // only middlewares are a backendRef's), or an edge answer. The copy keeps what it was.
    const response = isUpstreamResponse(answer) ? clientResponse(answer) : new Response(answer.body, answer);
    modifyHeaders(response.headers, edits);
    return response;
  };
};

export function modifyHeaders(headers: Headers, edits: Edits): void {
  for (const [name, value] of edits.set) headers.set(name, value);
  for (const [name, value] of edits.add) headers.append(name, value);
  for (const name of edits.remove) headers.delete(name);
}
