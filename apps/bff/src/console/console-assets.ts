import type { CibaConfig, ConsumerConfig } from '@ciba/config';
import { API_SCRIPT } from './page/api.script.js';
import { ASSURANCE_SCRIPT } from './page/assurance.script.js';
import { AUDIT_SCRIPT } from './page/audit.script.js';
import { consolePage, type SignInMode } from './page/console.page.js';
import { CONSOLE_STYLE } from './page/console.style.js';
import { CUSTOMER_FORM_SCRIPT } from './page/customer-form.script.js';
import { FIELD_ERRORS_SCRIPT } from './page/field-errors.script.js';
import { FOLLOW_SCRIPT } from './page/follow.script.js';
import { MAIN_SCRIPT } from './page/main.script.js';
import { VIEWS_SCRIPT } from './page/views.script.js';

export interface ConsoleAsset {
  contentType: string;
  body: string;
}

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** Where the page reads the signed-in consumer's providers (answered with the key, not from the table). */
export const CONSOLE_PROVIDERS_PATH = '/providers.json';

/**
 * What `GET /console/providers.json` tells the page: the ids and profiles of the providers this
 * consumer may use, in the order its configuration lists them; nothing secret, nobody else's.
 */
export function consoleProviders(config: CibaConfig, consumer: ConsumerConfig): { providers: { id: string; profile: string }[] } {
  const providers = consumer.providers.flatMap((id) => {
    const provider = config.providers.get(id);
    return provider ? [{ id: provider.id, profile: provider.profile }] : [];
  });
  return { providers };
}

/**
 * Every static file the console serves, by its path under `/console`. A fixed table, not a folder:
 * no listing and no path to traverse, and because the files are TypeScript modules they are
 * compiled into dist/ with the rest (tsc copies no .html/.js/.css, and the Docker image ships only dist/).
 */
export function consoleAssets(signIn: SignInMode = 'key'): ReadonlyMap<string, ConsoleAsset> {
  const page: ConsoleAsset = { contentType: HTML, body: consolePage(signIn) };
  const script = (body: string): ConsoleAsset => ({ contentType: JAVASCRIPT, body });
  return new Map<string, ConsoleAsset>([
    ['', page],
    ['/', page],
    ['/index.html', page],
    ['/console.css', { contentType: 'text/css; charset=utf-8', body: CONSOLE_STYLE }],
    ['/main.js', script(MAIN_SCRIPT)],
    ['/api.js', script(API_SCRIPT)],
    ['/follow.js', script(FOLLOW_SCRIPT)],
    ['/customer-form.js', script(CUSTOMER_FORM_SCRIPT)],
    ['/field-errors.js', script(FIELD_ERRORS_SCRIPT)],
    ['/views.js', script(VIEWS_SCRIPT)],
    ['/assurance.js', script(ASSURANCE_SCRIPT)],
    ['/audit.js', script(AUDIT_SCRIPT)],
  ]);
}
