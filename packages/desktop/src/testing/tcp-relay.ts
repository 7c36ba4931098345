import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  /** Stops listening and cuts every open connection: the network is gone. */
  cut(): Promise<void>;
  /** Listens again on the same address and port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A relay from `listenHost:port` to `targetHost:port`, standing for the network between the
 * desktop and its portal: `cut()` drops it (connections reset, new ones refused) as a lost
 * network or a stopped server would look to the desktop.
 */
export async function startTcpRelay(options: {
  listenHost: string;
  targetHost: string;
  port: number;
}): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = async () => {
    const next = createServer((inbound) => {
      const outbound = connect(options.port, options.targetHost);
      sockets.add(inbound);
      sockets.add(outbound);
      inbound.pipe(outbound).pipe(inbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        sockets.delete(inbound);
        sockets.delete(outbound);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(options.port, options.listenHost, () => resolve());
    });
    server = next;
  };
  const cut = async () => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    if (current) await new Promise((resolve) => current.close(resolve));
  };
  await listen();
  return { cut, restore: listen, close: cut };
}
