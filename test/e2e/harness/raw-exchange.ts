/**
 * Bytes written on a socket exactly as given (request smuggling needs
 * bodies, pipelined requests and malformed framing that no HTTP client
 * would send), and every response read back until the server closes the
 * connection or goes quiet.
 */
import net from 'node:net';

export interface RawExchange {
  /** Status of every response on the connection, in order (empty when none came). */
  readonly statuses: number[];
  readonly text: string;
}

/** Writes `bytes` and reads until close, or until nothing arrives for `quietMs`. */
export function rawExchange(base: URL, bytes: string | Buffer, quietMs = 1_500): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: base.hostname.replace(/^\[|\]$/g, ''), port: Number(base.port) });
    let text = '';
    let timer = setTimeout(() => socket.destroy(), quietMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      clearTimeout(timer);
      // A status line follows the previous response's body directly.
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1]));
      resolve({ statuses, text });
    });
    socket.write(bytes);
  });
}

/** A request head (request line and header lines) with the blank line that ends it. */
export function head(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}
