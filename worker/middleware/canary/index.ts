/**
 * `canary` (ingress-nginx's canary Ingress): decides per request whether the
 * canary's service answers instead of the route's, with ingress-nginx's
 * precedence (balancer.lua `route_to_alternative_balancer`): header, then
 * cookie, then weight. Test/e2e/annotations/canary.go is the specification.
 */
import { cookieValue } from '../../balancer/sticky.ts';
import { EdgeError } from '../../base/errors.ts';
import { compileRegex } from '../regex.ts';
import type { MiddlewareFactory } from '../types.ts';

export const canary: MiddlewareFactory<'canary'> = (config) => {
  const pattern = config.headerPattern && compileRegex(config.headerPattern);
  const decide = (headers: Headers): boolean => {
    const header = config.header === undefined ? null : headers.get(config.header);
    if (header !== null) {
      if (config.headerValue !== undefined) {
        if (header === config.headerValue) return true;
      } else if (pattern) {
        if (pattern.test(header)) return true;
      } else if (header === 'always') return true;
      else if (header === 'never') return false;
    }
    const cookie = config.cookie === undefined ? undefined : cookieValue(headers.get('cookie'), config.cookie);
    if (cookie === 'always') return true;
    if (cookie === 'never') return false;
    return config.weight > 0 && Math.random() * config.total < config.weight;
  };
  return function chooseCanary(context, next) {
    if (decide(context.request.headers)) {
      const service = context.route.services[config.service];
      if (!service) throw new EdgeError(500, undefined, { cause: `canary service ${config.service} is not in the table` });
      context.service = service;
    }
    return next();
  };
};
