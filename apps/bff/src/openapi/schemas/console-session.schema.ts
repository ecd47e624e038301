import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { SessionDocument } from '../../agents/session-document.js';
import type { SameKeys } from './same-keys.js';

type SignedInAgent = SessionDocument['agent'];

@ApiSchema({ name: 'ConsoleAgent', description: 'The branch agent signed in to the console, as their ID Token named them.' })
export class ConsoleAgentSchema implements SignedInAgent {
  @ApiProperty({ type: 'string', description: "The workforce provider's `sub` of the agent.", example: 'agent-0042' }) subject!: string;
  @ApiProperty({ type: 'string', description: "The agent's name (the ID Token's `name`, else `sub`).", example: 'Nino Beridze' })
  name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string' },
    description:
      "The console roles the agent holds: the configured `agentRole` and, for a supervisor, `supervisorRole` (the account's other roles are left out).",
    example: ['ciba-agent'],
  })
  roles!: string[];
}

@ApiSchema({
  name: 'ConsoleSession',
  description: "`GET /console/session` (API.md §7): who is signed in, the CSRF token for the console's calls, and until when.",
})
export class ConsoleSessionSchema implements SessionDocument {
  @ApiProperty({ type: () => ConsoleAgentSchema }) agent!: SignedInAgent;

  @ApiProperty({
    type: 'string',
    description: 'Send it as `X-CSRF-Token` (and, on the sign-out form, as the field `csrfToken`) with every call that changes state.',
    example: 'dGhlLWNzcmYtdG9rZW4tb2YtdGhpcy1zZXNzaW9uLTQzYw',
  })
  csrfToken!: string;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    description:
      'When the session ends unless used again: the earlier of the idle expiry (slid by every `/v1` call with the cookie, not by this one) and the absolute one.',
    example: '2026-11-22T10:15:00.000Z',
  })
  expiresAt!: string;
}

const _agentKeys: SameKeys<ConsoleAgentSchema, SignedInAgent> = true;
const _sessionKeys: SameKeys<ConsoleSessionSchema, SessionDocument> = true;
