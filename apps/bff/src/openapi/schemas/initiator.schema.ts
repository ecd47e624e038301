import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { Initiator } from '@ciba/ciba';
import type { SameKeys } from './same-keys.js';

type AgentInitiator = Extract<Initiator, { type: 'agent' }>;
type ConsumerInitiator = Extract<Initiator, { type: 'consumer' }>;

@ApiSchema({ name: 'AgentInitiator', description: 'Started by a branch agent signed in to the console (API.md §7).' })
export class AgentInitiatorSchema implements AgentInitiator {
  @ApiProperty({ enum: ['agent'] satisfies AgentInitiator['type'][] }) type!: 'agent';
  @ApiProperty({ type: 'string', description: "The workforce provider's `sub` of the agent.", example: 'agent-0042' }) subject!: string;
  @ApiProperty({ type: 'string', description: "The agent's name, as their ID Token gave it.", example: 'Nino Beridze' }) name!: string;
}

@ApiSchema({ name: 'ConsumerInitiator', description: "Started by the consumer's own service (an API key or an access token)." })
export class ConsumerInitiatorSchema implements ConsumerInitiator {
  @ApiProperty({ enum: ['consumer'] satisfies ConsumerInitiator['type'][] }) type!: 'consumer';
  @ApiProperty({ type: 'string', description: 'The consumer id.', example: 'branch-portal' }) id!: string;
}

const _agentKeys: SameKeys<AgentInitiatorSchema, AgentInitiator> = true;
const _consumerKeys: SameKeys<ConsumerInitiatorSchema, ConsumerInitiator> = true;

/** The models an `initiatedBy` property refers to: give them to `@ApiExtraModels` of its class. */
export const INITIATOR_MODELS = [AgentInitiatorSchema, ConsumerInitiatorSchema];

const INITIATORS = [{ $ref: getSchemaPath(AgentInitiatorSchema) }, { $ref: getSchemaPath(ConsumerInitiatorSchema) }];

/** `initiatedBy` (API.md §7): one of the two, told apart by `type`. */
export const initiatorProperty = (description: string) =>
  ApiProperty({
    description,
    oneOf: INITIATORS,
    discriminator: {
      propertyName: 'type',
      mapping: { agent: getSchemaPath(AgentInitiatorSchema), consumer: getSchemaPath(ConsumerInitiatorSchema) },
    },
  });

/**
 * The same, or null. A reference alone would refuse null: null is one more alternative (as
 * `schema-references.ts` makes it for `result`, and where `nullable` gets its `type` back).
 */
export const nullableInitiatorProperty = (description: string) =>
  ApiProperty({ nullable: true, description, oneOf: [...INITIATORS, { enum: [null] }] });
