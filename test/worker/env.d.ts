// Types for `cloudflare:workers` inside worker tests: the worker's bindings
// and its main module (so `exports.default.fetch` is typed), plus what the
// globalSetup provides (`inject('upstreams')`).
import type { EdgeEnv } from '../../worker/base/env.ts';
import type {} from '../upstreams/provided.ts';

declare global {
  namespace Cloudflare {
    interface Env extends EdgeEnv {}
    interface GlobalProps {
      mainModule: typeof import('../../worker/index.ts');
    }
  }
}
