import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { defaultConfigPath, loadConfigFile } from '@ciba/config';
import { Keyring } from '@ciba/store';
import { BffModule } from '../bff.module.js';
import { createLogger } from '../logging/logger.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * The document of the API, built without Redis or a network: the BFF module with the shipped
 * sandbox configuration, in Nest's preview mode (modules and routes scanned, no provider
 * instantiated, so nothing connects).
 */
export async function buildSandboxDocument(): Promise<OpenAPIObject> {
  // An empty environment: every ${NAME:-default} of the sandbox file takes its default.
  const config = loadConfigFile(defaultConfigPath(), {});
  const module = BffModule.forRoot({
    config,
    keyring: Keyring.generate(),
    logger: createLogger('silent'),
    redisUrl: 'redis://127.0.0.1:6379',
    role: 'api',
  });
  const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
