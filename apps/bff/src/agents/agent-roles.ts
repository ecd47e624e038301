import type { AgentsConfig } from '@ciba/config';

/**
 * The roles an ID Token grants in `agents.roleClaim`: an array of strings, or one
 * space-separated string (as `scope` is written). Anything else grants nothing.
 */
export function rolesInClaim(claims: Record<string, unknown>, roleClaim: string): string[] {
  const value = claims[roleClaim];
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}

/**
 * Of the agent's roles, the ones the console gives meaning to (agent, supervisor), in that
 * order; a workforce account's other groups are none of our business and are not kept.
 */
export function consoleRoles(roles: readonly string[], agents: Pick<AgentsConfig, 'agentRole' | 'supervisorRole'>): string[] {
  return [agents.agentRole, agents.supervisorRole].filter((role, index, all) => roles.includes(role) && all.indexOf(role) === index);
}
