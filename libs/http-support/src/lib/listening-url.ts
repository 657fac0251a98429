import type { Server } from 'node:http';

/** The base URL a server listening on `host` answers at (an IPv6 host in brackets). */
export function listeningUrl(server: Pick<Server, 'address'>, host: string): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Listens on `port` (0 picks a free one) and `host`, and returns the URL it answers at. */
export async function listenApp(app: { listen(port: number, host: string): Promise<unknown>; getHttpServer(): Pick<Server, 'address'> }, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  return listeningUrl(app.getHttpServer(), host);
}
