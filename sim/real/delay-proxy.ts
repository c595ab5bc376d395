/**
 * A TCP forwarder on 127.0.0.1 that holds the bytes of each direction for `delayMs` before passing
 * them on: a network link with real latency between two real servers (the replication connection
 * of a region pair) or a plain switchable endpoint (`delayMs` 0: the global writer endpoint).
 *
 * The bytes it holds are *in flight*: `cut()` destroys every connection and drops them, as a
 * region that disappears takes the packets still on the wire with it. After a cut new connections
 * are refused (closed at once) until `setTarget` or `heal`. Order is kept: a chunk is never
 * delivered before an earlier one, even when the delay is lowered while bytes are held.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Where a proxy forwards to. */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link DelayProxy.start}. */
export interface DelayProxyOptions {
  readonly target: ProxyTarget;
  /** Latency added to each direction, wall ms. @default 0 */
  readonly delayMs?: number;
  /** Port to listen on. @default a free port */
  readonly port?: number;
}

/** What a proxy has passed and dropped so far. */
export interface DelayProxyStats {
  readonly connections: number;
  readonly bytesDelivered: number;
  /** Bytes held in flight when a cut (or a closed peer) dropped them. */
  readonly bytesDropped: number;
  readonly refused: number;
}

interface Held {
  readonly due: number;
  readonly chunk: Buffer | 'end';
}

/** One direction of one connection: a FIFO of held chunks released at their due time. */
class DelayedPipe {
  private readonly queue: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastDue = 0;

  constructor(
    private readonly to: Socket,
    private readonly delayMs: () => number,
    private readonly onDelivered: (n: number) => void,
  ) {}

  push(chunk: Buffer | 'end'): void {
    const due = Math.max(Date.now() + this.delayMs(), this.lastDue);
    this.lastDue = due;
    this.queue.push({ due, chunk });
    if (this.delayMs() === 0 && this.queue.length === 1) this.release();
    else this.schedule();
  }

  /** Bytes still held; they are lost if the connection dies now. */
  heldBytes(): number {
    return this.queue.reduce((n, h) => n + (h.chunk === 'end' ? 0 : h.chunk.length), 0);
  }

  drop(): number {
    const n = this.heldBytes();
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return n;
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.release();
      },
      Math.max(0, this.queue[0]!.due - Date.now()),
    );
  }

  private release(): void {
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      const { chunk } = this.queue.shift()!;
      if (this.to.destroyed) return;
      if (chunk === 'end') this.to.end();
      else {
        this.to.write(chunk);
        this.onDelivered(chunk.length);
      }
    }
    this.schedule();
  }
}

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly up: DelayedPipe;
  readonly down: DelayedPipe;
}

/** A delaying TCP proxy (see the module doc). */
export class DelayProxy {
  private readonly links = new Set<Link>();
  private target: ProxyTarget;
  private delay: number;
  private isolated = false;
  private stats = { connections: 0, bytesDelivered: 0, bytesDropped: 0, refused: 0 };

  private constructor(
    private readonly server: Server,
    opts: DelayProxyOptions,
  ) {
    this.target = opts.target;
    this.delay = opts.delayMs ?? 0;
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts listening on 127.0.0.1; resolves once bound. */
  static async start(opts: DelayProxyOptions): Promise<DelayProxy> {
    if (opts.delayMs !== undefined && !(opts.delayMs >= 0)) throw new RangeError(`delayMs must be ≥ 0 (got ${opts.delayMs})`);
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const proxy = new DelayProxy(server, opts);
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(opts.port ?? 0, '127.0.0.1', () => res());
    });
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    const a = this.server.address();
    if (!a || typeof a === 'string') throw new Error('DelayProxy is not listening');
    return a.port;
  }

  /** Current one-way delay, wall ms. */
  get delayMs(): number {
    return this.delay;
  }

  /** Counters since start. */
  get counters(): DelayProxyStats {
    return { ...this.stats };
  }

  /** Bytes held in flight right now (both directions, every connection). */
  heldBytes(): number {
    let n = 0;
    for (const l of this.links) n += l.up.heldBytes() + l.down.heldBytes();
    return n;
  }

  /** Changes the delay for bytes arriving from now on (order kept). */
  setDelay(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`delayMs must be ≥ 0 (got ${ms})`);
    this.delay = ms;
  }

  /** Forwards new connections to `target` (and accepts them again after a cut). Existing ones stay. */
  setTarget(target: ProxyTarget): void {
    this.target = target;
    this.isolated = false;
  }

  /** Accepts connections again after a cut, to the same target. */
  heal(): void {
    this.isolated = false;
  }

  /**
   * Isolates the link: destroys every connection, dropping the bytes in flight, and refuses new
   * ones until `setTarget`/`heal`. Returns the bytes dropped.
   */
  cut(): number {
    this.isolated = true;
    let dropped = 0;
    for (const l of [...this.links]) dropped += this.kill(l);
    return dropped;
  }

  /** Cuts and stops listening. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  private accept(client: Socket): void {
    if (this.isolated) {
      this.stats.refused += 1;
      client.destroy();
      return;
    }
    this.stats.connections += 1;
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    const delivered = (n: number): void => void (this.stats.bytesDelivered += n);
    const link: Link = {
      client,
      upstream,
      up: new DelayedPipe(upstream, () => this.delay, delivered),
      down: new DelayedPipe(client, () => this.delay, delivered),
    };
    this.links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (b) => link.up.push(b));
    upstream.on('data', (b) => link.down.push(b));
    client.on('end', () => link.up.push('end'));
    upstream.on('end', () => link.down.push('end'));
    const die = (): void => void this.kill(link);
    client.on('error', die);
    upstream.on('error', die);
    client.on('close', () => {
      if (upstream.destroyed || link.up.heldBytes() === 0) this.kill(link);
    });
    upstream.on('close', () => {
      if (client.destroyed || link.down.heldBytes() === 0) this.kill(link);
    });
    client.resume();
  }

  private kill(link: Link): number {
    if (!this.links.delete(link)) return 0;
    const dropped = link.up.drop() + link.down.drop();
    this.stats.bytesDropped += dropped;
    link.client.destroy();
    link.upstream.destroy();
    return dropped;
  }
}
