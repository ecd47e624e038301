import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import vm from 'node:vm';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@ciba/config';
import express from 'express';
import { ConsumerDirectory } from '../consumers/consumer-directory.js';
import { consoleAssets } from './console-assets.js';
import { CONSOLE_CSP, serveConsole } from './console.setup.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const KEYS = { portal: 'portal-key-0123456789', branch: 'branch-key-0123456789' };

const config = parseConfig({
  providers: {
    sandbox: { issuer: 'https://op.example.com', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 'top-secret-1' } },
    bank: {
      profile: 'tbc',
      issuer: 'https://tbc.example.com',
      clientId: 'bff',
      clientAuth: { method: 'client_secret_post', secret: 'top-secret-2' },
    },
  },
  consumers: {
    portal: { apiKeySha256: sha256(KEYS.portal), providers: ['sandbox', 'bank'] },
    branch: { apiKeySha256: sha256(KEYS.branch), providers: ['bank'] },
  },
});

describe('serveConsole', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    // What Nest would be: the console registered first, the API's 404 after it.
    const nest = { getHttpAdapter: () => ({ getInstance: () => app }), get: () => new ConsumerDirectory(config) };
    serveConsole(nest as unknown as INestApplication, config);
    app.use((_request, response) => void response.status(404).json({ code: 'not_found' }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(['/console', '/console/', '/console/index.html'])('serves the page at %s with a strict CSP and no caching', async (path) => {
    const response = await fetch(base + path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(await response.text()).toMatch(/^<!doctype html>/);
  });

  it.each([
    ['/console/console.css', 'text/css; charset=utf-8'],
    ['/console/main.js', 'text/javascript; charset=utf-8'],
    ['/console/api.js', 'text/javascript; charset=utf-8'],
    ['/console/field-errors.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const response = await fetch(base + path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  const providersOf = (key?: string) => fetch(`${base}/console/providers.json`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });

  it("lists only the signed-in consumer's providers, by id and profile, and nothing else of their configuration", async () => {
    const portal = await providersOf(KEYS.portal);
    expect(portal.status).toBe(200);
    expect(portal.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(portal.headers.get('cache-control')).toBe('no-store');
    const text = await portal.text();
    expect(JSON.parse(text)).toEqual({
      providers: [
        { id: 'sandbox', profile: 'generic' },
        { id: 'bank', profile: 'tbc' },
      ],
    });
    expect(text).not.toMatch(/secret|example\.com/);
    expect(await (await providersOf(KEYS.branch)).json()).toEqual({ providers: [{ id: 'bank', profile: 'tbc' }] });
  });

  it.each([
    ['no key', undefined],
    ['a wrong key', 'not-a-key'],
  ])("answers the API's 401 problem document to %s", async (_case, key) => {
    const response = await providersOf(key);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it.each([
    '/console/nope.js',
    '/console/page/',
    '/console/..%2Fpackage.json',
    '/console/%2e%2e/package.json',
    '/console//main.js',
    '/consoles',
  ])('passes %s on to the API (404), with no listing and no file system behind it', async (path) => {
    const response = await fetch(base + path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'not_found' });
  });

  it('answers only GET and HEAD', async () => {
    expect((await fetch(`${base}/console/main.js`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/console`, { method: 'POST' })).status).toBe(404);
  });
});

describe('the console files', () => {
  const assets = consoleAssets();
  const page = assets.get('')!.body;
  const scripts = [...assets].filter(([path]) => path.endsWith('.js'));

  it('the page has no inline script or style (the CSP would block them) and loads only files that exist', () => {
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const references = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]).filter((url) => url !== 'data:,');
    expect(references.length).toBeGreaterThan(1);
    // Besides its files, the page may link to the agents' sign-in (a Nest route, apps/bff/src/agents).
    const routes = new Set(['/login']);
    for (const url of references)
      expect([url, assets.has(url.replace(/^\/console/, '')) || routes.has(url.replace(/^\/console/, ''))]).toEqual([url, true]);
  });

  it.each(scripts)('%s is a valid ES module importing only console files', (_path, asset) => {
    // Throws a SyntaxError on a broken module (jest runs with --experimental-vm-modules).
    const module = new vm.SourceTextModule(asset.body);
    expect(module.status).toBe('unlinked');
    for (const [, specifier] of asset.body.matchAll(/^import [^;]+ from '([^']+)';$/gm)) {
      expect(assets.has(specifier.replace(/^\./, ''))).toBe(true);
    }
  });

  it('every script is reached from main.js, the only one the page loads', () => {
    const importsOf = (path: string) => [...assets.get(path)!.body.matchAll(/^import [^;]+ from '\.([^']+)';$/gm)].map((match) => match[1]);
    const reached = new Set<string>();
    const visit = (path: string) => {
      if (reached.has(path)) return;
      reached.add(path);
      importsOf(path).forEach(visit);
    };
    visit('/main.js');
    expect([...reached].sort()).toEqual(scripts.map(([path]) => path).sort());
  });

  it.each(scripts)('%s never writes HTML, never uses localStorage, never logs', (_path, asset) => {
    expect(asset.body).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|localStorage|\bconsole\.(log|info|warn|error|debug|trace)|eval\(/,
    );
  });
});
