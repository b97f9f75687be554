/**
 * One HTTP/1.1 request written byte for byte on a socket, for requests an
 * HTTP client would refuse or tidy up: duplicate or oddly spelled headers,
 * request targets such as `//admin` or absolute-form, bare methods.
 */
import net from 'node:net';

export interface RawReply {
  /** 0 when the server closed without a status line. */
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Sends `lines` (request line and header lines, no blank line) and reads until the server closes. */
export function rawRequest(base: URL, lines: readonly string[], options: { localAddress?: string } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: base.hostname.replace(/^\[|\]$/g, ''), port: Number(base.port), localAddress: options.localAddress });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = data.indexOf('\r\n\r\n');
      const head = split === -1 ? data : data.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? '' : data.slice(split + 4) });
    });
    socket.write(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1');
  });
}
