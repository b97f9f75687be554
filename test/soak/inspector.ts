/**
 * The worker's JavaScript heap, read through workerd's V8 inspector
 * (`edgress dev --inspector-port`): a full garbage collection, then the
 * isolate's used heap size. This is the memory the Workers runtime limits
 * (128 MB per isolate), without workerd's own and Miniflare's. workerd
 * handles inspector messages when the isolate runs, so each call is
 * accompanied by small requests (`nudge`) until it is answered.
 */

export interface HeapProbe {
  /** Used heap after a full GC, in MiB. */
  usedMb(): Promise<number>;
  close(): void;
}

/** Connects to the inspector target of worker `name` (`core:user:<name>`). */
export async function connectHeapProbe(port: number, name: string, nudge: () => Promise<unknown>): Promise<HeapProbe> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  const target = targets.find((candidate) => candidate.id === `core:user:${name}`);
  if (!target) throw new Error(`no inspector target for worker ${name} (found ${targets.map((t) => t.id).join(', ')})`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let id = 0;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {});
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = async (method: string): Promise<Record<string, unknown>> => {
    let answered = false;
    const result = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector: ${method} unanswered`)), 30_000);
      pending.set(++id, (value) => ((answered = true), clearTimeout(timer), resolve(value)));
      socket.send(JSON.stringify({ id, method, params: {} }));
    });
    const pump = async () => {
      while (!answered) await Promise.all([nudge().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 50))]);
    };
    const [value] = await Promise.all([result.finally(() => (answered = true)), pump()]);
    return value;
  };
  await call('HeapProfiler.enable');
  return {
    async usedMb() {
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return Number(usage['usedSize']) / 1024 / 1024;
    },
    close: () => socket.close(),
  };
}
