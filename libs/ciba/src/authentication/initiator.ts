/**
 * Who started an authentication (API.md §7): a branch agent signed in to the console, or a
 * consumer's own service (an API key or an access token). Recorded once, at the start.
 */
export type Initiator = { type: 'agent'; subject: string; name: string } | { type: 'consumer'; id: string };

/** The part of a signed-in agent that an initiator keeps (its roles are a session's, not the record's). */
export interface AgentIdentity {
  subject: string;
  name: string;
}

/** The initiator of a request made for `consumer`: the agent when one made it, else the consumer itself. */
export function initiatorOf(consumer: string, agent?: AgentIdentity): Initiator {
  // Copied field by field: whatever else the caller's agent object holds never reaches a record.
  return agent ? { type: 'agent', subject: agent.subject, name: agent.name } : { type: 'consumer', id: consumer };
}
