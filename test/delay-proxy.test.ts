/**
 * The delaying TCP proxy of the real region pair (sim/real/delay-proxy.ts) on real sockets: bytes
 * arrive no earlier than the delay, in order, a cut drops what is in flight, a cut link refuses
 * connections until it is repointed.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DelayProxy } from '../sim/real/delay-proxy';

/** A server that records every byte with its arrival time (wall ms). */
async function sink(): Promise<{ server: Server; port: number; received: { at: number; text: string }[]; text: () => string }> {
  const received: { at: number; text: string }[] = [];
  const server = createServer((s) => s.on('data', (b) => received.push({ at: Date.now(), text: b.toString() })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return { server, port, received, text: () => received.map((r) => r.text).join('') };
}

async function open(port: number): Promise<Socket> {
  return new Promise((res, rej) => {
    const s = connect({ host: '127.0.0.1', port }, () => res(s));
    s.once('error', rej);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(delayMs: number) {
  const s = await sink();
  const proxy = await DelayProxy.start({ target: { host: '127.0.0.1', port: s.port }, delayMs });
  closers.push(() => new Promise<void>((r) => s.server.close(() => r())));
  closers.push(() => proxy.close());
  return { s, proxy };
}

test('bytes arrive after the delay, not before, and in order', async () => {
  const { s, proxy } = await setup(300);
  const c = await open(proxy.port);
  closers.push(async () => void c.destroy());
  const sentAt = Date.now();
  c.write('a');
  await sleep(50);
  c.write('b');
  await until(() => s.text() === 'ab');
  expect(s.received[0]!.at - sentAt).toBeGreaterThanOrEqual(295);
  expect(s.received[s.received.length - 1]!.at - sentAt).toBeGreaterThanOrEqual(345);
  expect(proxy.counters.bytesDelivered).toBe(2);
});

test('lowering the delay never lets a later chunk overtake an earlier one', async () => {
  const { s, proxy } = await setup(400);
  const c = await open(proxy.port);
  closers.push(async () => void c.destroy());
  c.write('first-');
  await sleep(20);
  proxy.setDelay(0);
  c.write('second');
  await until(() => s.text().length === 12);
  expect(s.text()).toBe('first-second');
});

test('a cut drops the bytes in flight and refuses new connections until repointed', async () => {
  const { s, proxy } = await setup(500);
  const c = await open(proxy.port);
  const closed = new Promise<void>((r) => c.on('close', () => r()));
  c.on('error', () => undefined);
  c.write('delivered');
  await until(() => s.text() === 'delivered', 2000);
  c.write('in-flight');
  await sleep(50);
  expect(proxy.heldBytes()).toBe(9);
  expect(proxy.cut()).toBe(9);
  await closed;
  await sleep(700); // past the delay: nothing of the dropped bytes arrives
  expect(s.text()).toBe('delivered');
  expect(proxy.counters.bytesDropped).toBe(9);

  // Refused while isolated (accepted by the kernel, closed at once without forwarding).
  const r = await open(proxy.port).catch(() => undefined);
  if (r) {
    r.on('error', () => undefined);
    await new Promise<void>((res) => r.on('close', () => res()));
  }
  expect(proxy.counters.refused).toBe(1);

  // Repointed to another server: connections flow again, to the new target.
  const other = await sink();
  closers.push(() => new Promise<void>((res) => other.server.close(() => res())));
  proxy.setTarget({ host: '127.0.0.1', port: other.port });
  proxy.setDelay(0);
  const c2 = await open(proxy.port);
  closers.push(async () => void c2.destroy());
  c2.write('to-the-new-writer');
  await until(() => other.text() === 'to-the-new-writer');
  expect(s.text()).toBe('delivered');
});

test('the reply direction is delayed too, and a negative delay is refused', async () => {
  const echo = createServer((sock) => sock.on('data', (b) => sock.write(b)));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  const a = echo.address();
  const proxy = await DelayProxy.start({ target: { host: '127.0.0.1', port: typeof a === 'object' && a ? a.port : 0 }, delayMs: 150 });
  closers.push(() => new Promise<void>((r) => echo.close(() => r())));
  closers.push(() => proxy.close());
  const c = await open(proxy.port);
  closers.push(async () => void c.destroy());
  const got = new Promise<number>((r) => c.once('data', () => r(Date.now())));
  const sentAt = Date.now();
  c.write('ping');
  expect((await got) - sentAt).toBeGreaterThanOrEqual(295); // one delay each way
  expect(() => proxy.setDelay(-1)).toThrow(/delayMs must be ≥ 0/);
});
