/**
 * The agent's Prometheus metrics (prom-client), in a registry of its own so
 * two agents in one process (tests, `edgress dev`) do not collide.
 *
 * @example
 * ```ts
 * const metrics = new AgentMetrics();
 * metrics.publishErrors.inc();
 * const text = await metrics.registry.metrics();
 * ```
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class AgentMetrics {
  readonly registry = new Registry();
  /** Seconds from the first change of a batch to the end of its compile and publish. */
  readonly syncDuration = new Histogram({
    name: 'edgress_sync_duration_seconds',
    help: 'Time to compile and publish one batch of cluster changes.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly lastPublishSuccess = new Gauge({
    name: 'edgress_last_publish_success_timestamp_seconds',
    help: 'Unix time of the last successful publish.',
    registers: [this.registry],
  });
  readonly routes = new Gauge({ name: 'edgress_routes', help: 'Routes in the last compiled table.', registers: [this.registry] });
  readonly diagnostics = new Gauge({
    name: 'edgress_diagnostics',
    help: 'Diagnostics of the last compile, by severity.',
    labelNames: ['severity'],
    registers: [this.registry],
  });
  readonly publishErrors = new Counter({ name: 'edgress_publish_errors_total', help: 'Publishes that failed.', registers: [this.registry] });
  readonly publishesHeld = new Counter({
    name: 'edgress_publishes_held_total',
    help: 'Tables held back, by reason (unsynced caches, mass removal).',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'edgress_watch_restarts_total',
    help: 'Watches reopened, by resource kind and reason (closed, timeout, expired, error).',
    labelNames: ['kind', 'reason'],
    registers: [this.registry],
  });
  readonly listErrors = new Counter({ name: 'edgress_list_errors_total', help: 'Failed lists, by resource kind.', labelNames: ['kind'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'edgress_leader', help: '1 while this replica holds the leader Lease.', registers: [this.registry] });
  readonly synced = new Gauge({ name: 'edgress_informers_synced', help: '1 when every informer holds a complete list.', registers: [this.registry] });
  readonly edgeHosts = new Gauge({
    name: 'edgress_edge_hosts',
    help: 'Hosts at the edge after the last edge-hosts cycle, by status (served, attaching, conflict, no-zone, detaching, detach-held).',
    labelNames: ['status'],
    registers: [this.registry],
  });
}
