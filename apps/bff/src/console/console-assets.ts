import type { CibaConfig } from '@ciba/config';
import { API_SCRIPT } from './page/api.script.js';
import { CONSOLE_PAGE } from './page/console.page.js';
import { CONSOLE_STYLE } from './page/console.style.js';
import { CUSTOMER_FORM_SCRIPT } from './page/customer-form.script.js';
import { FOLLOW_SCRIPT } from './page/follow.script.js';
import { MAIN_SCRIPT } from './page/main.script.js';
import { VIEWS_SCRIPT } from './page/views.script.js';

export interface ConsoleAsset {
  contentType: string;
  body: string;
}

const HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** What `GET /console/providers.json` tells the page: ids and profiles, nothing secret. */
export function consoleProviders(config: CibaConfig): { providers: { id: string; profile: string }[] } {
  return { providers: [...config.providers.values()].map(({ id, profile }) => ({ id, profile })) };
}

/**
 * Every file the console serves, by its path under `/console`. A fixed table, not a folder: no
 * listing and no path to traverse, and because the files are TypeScript modules they are compiled
 * into dist/ with the rest (tsc copies no .html/.js/.css, and the Docker image ships only dist/).
 */
export function consoleAssets(config: CibaConfig): ReadonlyMap<string, ConsoleAsset> {
  const page: ConsoleAsset = { contentType: HTML, body: CONSOLE_PAGE };
  return new Map<string, ConsoleAsset>([
    ['', page],
    ['/', page],
    ['/index.html', page],
    ['/console.css', { contentType: 'text/css; charset=utf-8', body: CONSOLE_STYLE }],
    ['/main.js', { contentType: JAVASCRIPT, body: MAIN_SCRIPT }],
    ['/api.js', { contentType: JAVASCRIPT, body: API_SCRIPT }],
    ['/follow.js', { contentType: JAVASCRIPT, body: FOLLOW_SCRIPT }],
    ['/customer-form.js', { contentType: JAVASCRIPT, body: CUSTOMER_FORM_SCRIPT }],
    ['/views.js', { contentType: JAVASCRIPT, body: VIEWS_SCRIPT }],
    ['/providers.json', { contentType: 'application/json; charset=utf-8', body: JSON.stringify(consoleProviders(config)) }],
  ]);
}
