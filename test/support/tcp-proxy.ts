// A small TCP proxy between Daichō and PostgreSQL for fault tests and scripts: it forwards to a
// target that can change (a restarted server listens on a new port), and can add latency, hold
// traffic (a network partition: nothing arrives, nothing fails, and what was sent arrives once the
// network heals, as TCP retransmits it), refuse new connections (a server that is down) or cut
// every open one.
import net from 'node:net';

export type ProxyMode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'hold' } | { kind: 'refuse' };

export interface TcpProxy {
  port: number;
  setTarget(port: number): void;
  setMode(mode: ProxyMode): void;
  /** Resets every open connection, as a server that went away does. */
  cutAll(): void;
  openConnections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let target = targetPort;
  let mode: ProxyMode = { kind: 'pass' };
  const sockets = new Set<net.Socket>();
  const held: Array<() => void> = [];

  // Each direction goes through `relay`, so a mode change applies to traffic already flowing.
  const relay = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (mode.kind === 'hold') {
        held.push(() => {
          if (!to.destroyed) to.write(chunk);
        });
        return;
      }
      if (mode.kind === 'delay') {
        const ms = mode.ms;
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, ms);
      } else if (!to.destroyed) {
        to.write(chunk);
      }
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };

  const server = net.createServer((client) => {
    if (mode.kind === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setTarget(port) {
      target = port;
    },
    setMode(next) {
      mode = next;
      if (next.kind !== 'hold') for (const release of held.splice(0)) release();
    },
    cutAll() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    openConnections: () => sockets.size / 2,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
