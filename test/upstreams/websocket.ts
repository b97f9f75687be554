// A minimal RFC 6455 echo for the WebSocket tests: handshake, then every
// text frame from the client comes back prefixed with the server's name.
// Enough for short unfragmented messages; no dependency needed.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Upgraded sockets, which `server.close()` does not end on its own. */
export const upgradedSockets = new Set<Duplex>();

export function acceptWebSocket(name: string, request: IncomingMessage, socket: Duplex): void {
  upgradedSockets.add(socket);
  socket.on('close', () => upgradedSockets.delete(socket));
  const key = request.headers['sec-websocket-key'];
  if (typeof key !== 'string') return void socket.destroy();
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n` +
      `X-Echo-Name: ${name}\r\nX-Echo-Forwarded-Proto: ${request.headers['x-forwarded-proto'] ?? ''}\r\n\r\n`,
  );
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
      buffered = buffered.subarray(frame.length);
      if (frame.opcode === 0x8) return void socket.end(encodeFrame(0x8, Buffer.alloc(0)));
      if (frame.opcode === 0x1) socket.write(encodeFrame(0x1, Buffer.from(`${name}:${frame.payload.toString()}`)));
    }
  });
  socket.on('error', () => socket.destroy());
}

export function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let size = data[1]! & 0x7f;
  let offset = 2;
  if (size === 126) {
    if (data.length < 4) return undefined;
    size = data.readUInt16BE(2);
    offset = 4;
  } else if (size === 127) {
    throw new Error('test WebSocket frames are short');
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (data.length < offset + size) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + size));
  if (masked) for (let i = 0; i < size; i++) payload[i]! ^= data[maskOffset + (i % 4)]!;
  return { opcode, payload, length: offset + size };
}

/** A short frame; `mask` (4 bytes) for frames a client sends, which RFC 6455 requires masked. */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  if (payload.length > 125) throw new Error('test WebSocket frames are short');
  if (!mask) return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}
