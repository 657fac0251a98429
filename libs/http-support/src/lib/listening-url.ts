import type { Server } from 'node:http';

/** The base URL a server listening on `host` answers at (an IPv6 host in brackets). */
export function listeningUrl(server: Pick<Server, 'address'>, host: string): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

