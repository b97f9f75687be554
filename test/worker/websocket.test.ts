import { beforeAll, expect, it } from 'vitest';
import { echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

beforeAll(async () => {
  await publish(table({ routers: [router('chat.example.com', '/', 'chat')], services: { chat: echoPool('c') } }));
});

it('passes a WebSocket upgrade through and echoes messages both ways', async () => {
  const response = await send('https://chat.example.com/socket?room=1', { headers: { Upgrade: 'websocket', Connection: 'Upgrade' } });
  expect(response.status).toBe(101);
  expect(response.headers.get('x-echo-name')).toBe('c');
  expect(response.headers.get('x-echo-forwarded-proto')).toBe('wss');
  const socket = response.webSocket!;
  socket.accept();
  const received = new Promise<string>((resolve) => socket.addEventListener('message', (event) => resolve(String(event.data))));
  socket.send('hello');
  expect(await received).toBe('c:hello');
  socket.close(1000, 'done');
});
