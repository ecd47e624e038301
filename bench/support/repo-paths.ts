import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: bench/dist/support/ → three levels up. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BFF_ENTRY = join(REPO_ROOT, 'dist/apps/bff/src/main.js');
export const EMBEDDED_REDIS_ENTRY = join(REPO_ROOT, 'dist/libs/embedded-redis/src/index.js');

export const productIsBuilt = (): boolean => existsSync(BFF_ENTRY) && existsSync(EMBEDDED_REDIS_ENTRY);
