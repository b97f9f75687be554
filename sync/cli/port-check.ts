/**
 * Checks that a port a command will listen on is free before the slow part
 * of its start (workerd, a cluster sync), so a port already in use is one
 * line naming the port and the flag at once. Miniflare's inspector, given a
 * taken port, waits forever instead of failing; this is the only check it
 * gets. The server's own listen still reports a port taken in between.
 *
 * @example
 * ```ts
 * await checkPortFree('127.0.0.1', flags.port, '--port'); // throws CliFailure when taken
 * ```
 */
import { createServer } from 'node:net';
import { listenFailure } from './exit.ts';

export async function checkPortFree(host: string, port: number | undefined, flag: string): Promise<void> {
  if (port === undefined || port === 0) return;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenFailure(error, flag) ?? error;
  } finally {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  }
}
