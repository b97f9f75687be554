/**
 * A V8 inspector session with a workerd isolate (Miniflare's `inspectorPort`),
 * for the profiling scripts: `call` sends one protocol method and resolves
 * with its result.
 *
 * @example
 * ```ts
 * const inspector = await connectInspector(9339, 'edgress');
 * await inspector.call('Profiler.enable');
 * ```
 */
export interface InspectorSession {
  call<T>(method: string, params?: object): Promise<T>;
  close(): void;
}

/** Connects to the isolate whose title contains `title` (the first one when none does). */
export async function connectInspector(port: number, title = ''): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string; title: string }[];
  const socket = new WebSocket((targets.find((target) => target.title.includes(title)) ?? targets[0]!).webSocketDebuggerUrl);
  await new Promise((resolve) => socket.addEventListener('open', resolve));
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return {
    call: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}
