// Local servers for the probe tests: listen on a free loopback port, close them all after.
import { once } from 'node:events';
import type net from 'node:net';

export interface LocalServers {
  /** Starts `server` on 127.0.0.1 and a free port; it is closed by closeAll(). */
  listen(server: net.Server): Promise<number>;
  /** Closes every listened server and drops its open connections. */
  closeAll(): void;
}

export function localServers(): LocalServers {
  const servers: net.Server[] = [];
  return {
    async listen(server) {
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return (server.address() as net.AddressInfo).port;
    },
    closeAll() {
      for (const s of servers.splice(0)) {
        s.close();
        (s as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      }
    },
  };
}
