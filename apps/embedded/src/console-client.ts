/**
 * Where a browser may reach the embedded BFF: its own address, `localhost` and `127.0.0.1` for a
 * loopback one, and PUBLIC_BASE_URL. The console's redirect URI follows the address the agent
 * opened (API.md §7), so the sandbox registers each of them.
 */
export function consoleOrigins(host: string, port: number, publicBaseUrl: string): string[] {
  const origins = new Set([new URL(publicBaseUrl).origin]);
  if (host === '127.0.0.1' || host === 'localhost' || host === '0.0.0.0' || host === '::') {
    origins.add(`http://127.0.0.1:${port}`);
    origins.add(`http://localhost:${port}`);
  } else origins.add(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  return [...origins];
}
