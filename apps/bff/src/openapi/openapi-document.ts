import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';
import { MAX_BODY_BYTES } from '../http/body-parsing.js';
import { MAX_JSON_DEPTH } from '../http/json-shape.js';
import { inCanonicalOrder } from './document-order.js';
import { closeRequestSchemas } from './request-schema.decorator.js';
import { RESPONSE_HEADERS } from './response-headers.js';
import { rewriteWrappedReferences } from './schema-references.js';
import { CONSOLE_SESSION, CONSOLE_SESSION_SCHEME } from './console-session.js';
import { consoleSignInPaths } from './routes/console-sign-in.paths.js';
import { expressRoutePaths } from './routes/express-routes.paths.js';
import { ConsoleSessionSchema } from './schemas/console-session.schema.js';

const DESCRIPTION = [
  "Start OpenID Connect CIBA at a bank's provider and follow the customer's answer (API.md §4-§7).",
  '',
  'Every error is an RFC 9457 problem document (`application/problem+json`) with a machine-readable `code`. Every authenticated ' +
    '`/v1` answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a 429 or 503 says when to come back in ' +
    '`Retry-After`. Every answer carries `X-Request-Id`.',
  '',
  `Request bodies are JSON objects of at most ${MAX_BODY_BYTES / 1024} KiB (else 413; another media type: 415), nested at most ` +
    `${MAX_JSON_DEPTH} levels, without keys such as \`__proto__\` or \`constructor\` anywhere (400).`,
].join('\n');

/**
 * The OpenAPI document of a BFF app: its controllers as Nest's scanner sees them (the decorators
 * of `openapi/`), the routes Express serves directly, and the class-level rules of request bodies.
 * The same for every configuration: it describes the API, not one deployment.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.0.3')
    .setTitle('CIBA BFF')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'The server this document is served from')
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description:
        "An API key of the consumer, or a JWT access token from the bank's identity provider (RFC 9068) for consumers " +
        'configured with `jwt` (API.md §7). A missing, malformed or wrong one: 401 `unauthorized`.',
    })
    .addSecurity(CONSOLE_SESSION, CONSOLE_SESSION_SCHEME)
    .addSecurity('eventsToken', {
      type: 'apiKey',
      in: 'query',
      name: 'token',
      description: "The read-only token in `eventsUrl`: this authentication's events only.",
    })
    .addSecurity('clientNotificationToken', {
      type: 'http',
      scheme: 'bearer',
      description: 'The `client_notification_token` the BFF sent with the backchannel request.',
    })
    .addSecurity('adminBasic', {
      type: 'http',
      scheme: 'basic',
      description: "Any user name; an admin consumer's API key as the password.",
    })
    .addTag('authentications', 'Start, follow and end CIBA authentications (API.md §4).')
    .addTag('audit', "The audit trail, for admin consumers and the console's supervisors (API.md §6, §7).")
    .addTag('provider notifications', 'Called by OpenID Providers in ping and push modes (API.md §5).')
    .addTag('operations', 'Health, metrics, the queue dashboard and this document (API.md §6); no key unless stated.')
    .addTag('console', 'The branch agent console (API.md §7).')
    .build();
  // The session document's schema is named by hand-written paths (the agents' controller is not
  // scanned: it exists only with an agents section), so it is registered here, for every configuration.
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ConsoleSessionSchema] });
  // Nest adds an empty contact; the document names none.
  delete document.info.contact;
  closeRequestSchemas((document.components?.schemas ?? {}) as Record<string, SchemaObject>);
  rewriteWrappedReferences(document);
  document.components = { ...document.components, headers: RESPONSE_HEADERS };
  document.paths = { ...document.paths, ...expressRoutePaths(), ...consoleSignInPaths() };
  return inCanonicalOrder(document);
}
