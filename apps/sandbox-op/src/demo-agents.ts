/** A bank employee the sandbox signs in when it plays the bank's workforce OpenID Provider. */
export interface DemoAgent {
  /** What the sign-in page posts as `agent`. */
  username: string;
  /** The ID Token `sub`; the `agent-` prefix keeps it apart from the customers' numeric ones. */
  sub: string;
  name: string;
  /** Released as the `roles` claim (scope `profile`); empty for an agent the console must turn away. */
  roles: readonly string[];
}

/** One agent, one supervisor and one without a role, so every branch of the console's role check can be shown. */
export const DEMO_AGENTS: readonly DemoAgent[] = Object.freeze(
  [
    { username: 'anna', sub: 'agent-anna', name: 'Anna Agent', roles: Object.freeze(['ciba-agent']) },
    { username: 'sam', sub: 'agent-sam', name: 'Sam Supervisor', roles: Object.freeze(['ciba-agent', 'ciba-supervisor']) },
    { username: 'nina', sub: 'agent-nina', name: 'Nina Visitor', roles: Object.freeze([]) },
  ].map((agent) => Object.freeze(agent)),
);

export function findAgentByUsername(username: string): DemoAgent | undefined {
  return DEMO_AGENTS.find((agent) => agent.username === username);
}

export function findAgentBySub(sub: string): DemoAgent | undefined {
  return DEMO_AGENTS.find((agent) => agent.sub === sub);
}

/** The claims an ID Token may carry for an agent; `roles` is always an array, possibly empty. */
export function agentClaims(agent: DemoAgent): Record<string, unknown> {
  return { sub: agent.sub, name: agent.name, roles: [...agent.roles] };
}
