/**
 * `deny`: a route that failed closed (its protection could not be compiled)
 * answers its status before anything else runs. The reason stays in the
 * table for `explain` and is never sent.
 */
import { edgeResponse } from '../../base/errors.ts';
import type { MiddlewareFactory } from '../types.ts';

export const deny: MiddlewareFactory<'deny'> = (config) => {
  const status = config.status;
  return function denyRequest() {
    return edgeResponse(status);
  };
};
