import type { AgentsConfig, ConsumerConfig } from './config.types.js';
import { checkClientAuth } from './cross-checks.js';

/** Rules that span the `agents` section and the rest of the file (API.md §7). */
export function checkAgents(agents: AgentsConfig, consumers: ReadonlyMap<string, ConsumerConfig>, problems: string[]): void {
  const idp = agents.idp;
  if (idp?.issuer?.startsWith('http:') && !idp.allowInsecureHttp) {
    problems.push('agents.idp.issuer: must be https (allowInsecureHttp: true only for a local development provider)');
  }
  if (idp?.clientAuth) {
    checkClientAuth(idp.clientAuth, 'agents.idp.clientAuth', problems);
    // The workforce client's calls do not travel on a provider's mutual-TLS transport.
    if (idp.clientAuth.method === 'tls_client_auth') {
      problems.push(
        'agents.idp.clientAuth.method: tls_client_auth is not supported for the workforce provider; use a secret or private_key_jwt',
      );
    }
  }
  if (typeof agents.consumer === 'string' && !consumers.has(agents.consumer)) {
    problems.push(`agents.consumer: "${agents.consumer}" is not a configured consumer`);
  }
}
