import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, loadConfigFile, readEnvironment } from '@ciba/config';
import { resolveKeyring } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { composeStructureProblems, isNamedVolume, isRecord } from './compose-structure.js';
import { interpolateDocument, referencedVariables, type Variables } from './compose-interpolation.js';
import { commandWords, lastInstruction, parseDockerfile, type DockerStage } from './dockerfile.js';

const root = process.cwd();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** Environment the BFF reads itself; anything else must be interpolated by its config file. */
const BFF_ENV = ['CIBA_CONFIG', 'REDIS_URL', 'PORT', 'HOST', 'ROLE', 'CIBA_ENCRYPTION_KEY', 'LOG_LEVEL'];
const SANDBOX_ENV = ['SANDBOX_PORT', 'SANDBOX_HOST', 'SANDBOX_ISSUER', 'SANDBOX_CLIENT_SECRET'];
const SECRETS = ['CIBA_ENCRYPTION_KEY', 'SANDBOX_CLIENT_SECRET'];
const BFF_SOURCE = 'apps/bff/src/main.ts';
const SANDBOX_SOURCE = 'apps/sandbox-op/src/main.ts';

type Service = Record<string, unknown>;

// Compose supports YAML merge keys (`<<: *anchor`); the yaml package needs them switched on.
const compose: unknown = parse(read('docker-compose.yml'), { merge: true });
const services = servicesOf(compose);
const stages: DockerStage[] = existsSync(join(root, 'Dockerfile')) ? parseDockerfile(read('Dockerfile')) : [];
const finalStage = stages.at(-1);

function servicesOf(doc: unknown): Record<string, Service> {
  return (isRecord(doc) && isRecord(doc.services) ? doc.services : {}) as Record<string, Service>;
}

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environment(svc: Service): Record<string, string> {
  const env = svc.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((item: string) => [item.split('=')[0], item.slice(item.indexOf('=') + 1)]));
  }
  return isRecord(env)
    ? Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '']),
      )
    : {};
}

function words(command: unknown): string[] {
  if (Array.isArray(command)) return command.map(String);
  return typeof command === 'string' ? command.split(/\s+/) : [];
}

/** dist/apps/x/src/main.js -> apps/x/src/main.ts, mirroring tsc's rootDir "." and outDir "dist". */
function sourceOf(builtFile: string): string | undefined {
  const match = /^(?:\.\/|\/app\/)?dist\/(.+)\.js$/.exec(builtFile);
  return match ? `${match[1]}.ts` : undefined;
}

/** The command a built service runs: its own, else the image's CMD. */
function effectiveCommand(svc: Service): string[] {
  if (svc.command !== undefined) return words(svc.command);
  const cmd = finalStage && lastInstruction(finalStage, 'CMD');
  return cmd ? commandWords(cmd) : [];
}

function entrySource(svc: Service): string | undefined {
  return effectiveCommand(svc)
    .map(sourceOf)
    .find((source) => source !== undefined);
}

const builtServices = Object.entries(services).filter(([, svc]) => svc.build !== undefined);
const bffServices = builtServices.filter(([, svc]) => entrySource(svc) === BFF_SOURCE);
const sandboxServices = builtServices.filter(([, svc]) => entrySource(svc) === SANDBOX_SOURCE);

/** Maps a path inside the container to the repo: through bind mounts first, else the image's WORKDIR copy. */
function hostPath(svc: Service, containerPath: string): string | undefined {
  for (const volume of Array.isArray(svc.volumes) ? svc.volumes : []) {
    if (typeof volume !== 'string') continue;
    const [source, target] = volume.split(':');
    if (!source || !target || isNamedVolume(source)) continue;
    if (containerPath.startsWith(`${target}/`)) return posix.join(source, containerPath.slice(target.length + 1));
  }
  const workdir = finalStage && lastInstruction(finalStage, 'WORKDIR');
  return workdir && containerPath.startsWith(`${workdir}/`) ? containerPath.slice(workdir.length + 1) : undefined;
}

/** Names in `${NAME}` placeholders, ignoring whole-line comments (documentation, not configuration). */
function configVariables(text: string): string[] {
  const content = text.replace(/^\s*#.*$/gm, '');
  return [...new Set([...content.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((match) => match[1]))];
}

function configFileOf(svc: Service): string {
  const configPath = environment(svc).CIBA_CONFIG;
  if (!configPath) throw new Error('CIBA_CONFIG is not set');
  const path = hostPath(svc, configPath);
  if (!path || !existsSync(join(root, path))) throw new Error(`CIBA_CONFIG ${configPath} does not map to a file in the repo`);
  return path;
}

describe('compose structure check', () => {
  // Guards against a check that passes everything.
  it.each([
    [{ services: {} }, /services: must be a non-empty mapping/],
    [{ services: { a: { command: 'x' } } }, /needs image or build/],
    [{ services: { a: { image: 'x', volumes: ['data:/data'] } } }, /named volume "data" is not declared/],
    [
      { services: { a: { image: 'x', depends_on: { b: { condition: 'service_healthy' } } }, b: { image: 'y' } } },
      /needs a healthcheck on "b"/,
    ],
    [{ services: { a: { image: 'x', depends_on: { b: { condition: 'healthy' } } }, b: { image: 'y' } } }, /condition: must be one of/],
    [{ services: { a: { image: 'x', healthcheck: { test: ['redis-cli', 'ping'] } } } }, /first element must be CMD/],
    [{ services: { a: { image: 'x', ports: ['http'] } } }, /not a port mapping/],
    [{ services: { a: { image: 'x', enviroment: {} } } }, /unknown key "enviroment"/],
  ])('reports %j', (doc, problem) => {
    expect(composeStructureProblems(doc).join('\n')).toMatch(problem);
  });
});

describe('docker-compose.yml', () => {
  it('matches the structure of the compose spec parts we use', () => {
    expect(composeStructureProblems(compose)).toEqual([]);
    expect(Object.keys(services).sort()).toEqual(['bff-api', 'bff-worker', 'redis', 'sandbox-op']);
  });

  it('runs Redis as a store, not a cache: AOF, noeviction, a named volume, a ping healthcheck', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7/);
    const args = words(redis.command).join(' ');
    expect(args).toMatch(/--appendonly yes\b/);
    expect(args).toMatch(/--appendfsync everysec\b/);
    expect(args).toMatch(/--maxmemory-policy noeviction\b/);
    expect(redis.volumes).toEqual(expect.arrayContaining([expect.stringMatching(/^[\w-]+:\/data$/)]));
    expect(redis.healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
  });

  it('has every locally built service run a file the build produces from an existing source', () => {
    expect(builtServices.map(([name]) => name).sort()).toEqual(['bff-api', 'bff-worker', 'sandbox-op']);
    const missing = builtServices
      .map(([name, svc]) => ({ name, source: entrySource(svc) }))
      .filter(({ source }) => source === undefined || !existsSync(join(root, source)));
    expect(missing).toEqual([]);
  });

  it('has a multi-stage, non-root Dockerfile whose CMD maps to an existing source', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // Node 24 LTS (Node 20's life ended on 2026-04-30).
    for (const stage of stages) expect(stage.from).toMatch(/^node:24-bookworm-slim\b/);
    const runs = stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args)).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev\b/);
    expect(lastInstruction(finalStage!, 'USER')).toMatch(/^(?!root$|0$)\S+$/);
    const cmd = commandWords(lastInstruction(finalStage!, 'CMD') ?? '[]');
    expect(cmd).toEqual(['node', 'dist/apps/bff/src/main.js']);
    expect(existsSync(join(root, sourceOf(cmd[1])!))).toBe(true);
  });

  it('copies only paths that exist into the image', () => {
    const copied = stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((word) => !word.startsWith('--'))
          .slice(0, -1),
      );
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('runs a scaled deployment: two API replicas on published ports and two scalable workers', () => {
    expect(bffServices.map(([name]) => name).sort()).toEqual(['bff-api', 'bff-worker']);
    expect(environment(service('bff-api')).ROLE).toBe('api');
    // One host port per API replica.
    expect(service('bff-api').ports).toContain('127.0.0.1:3000-3001:3000');
    expect(service('bff-api').deploy).toMatchObject({ replicas: 2 });
    expect(service('bff-worker').deploy).toMatchObject({ replicas: 2 });
    const worker = service('bff-worker');
    expect(environment(worker).ROLE).toBe('worker');
    // Fixed host ports or names would collide as soon as a second replica starts.
    expect(worker.ports).toBeUndefined();
    expect(worker.container_name).toBeUndefined();
  });

  it.each(['bff-api', 'bff-worker'])('wires %s to Redis and the sandbox, with a /health/ready healthcheck', (name) => {
    const svc = service(name);
    const env = environment(svc);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.CIBA_CONFIG).toBe('/app/config/docker.yaml');
    expect(svc.depends_on).toMatchObject({ redis: { condition: 'service_healthy' } });
    const test = (svc.healthcheck as { test?: unknown } | undefined)?.test;
    expect(words(test).join(' ')).toMatch(new RegExp(`fetch\\('http://127\\.0\\.0\\.1:${env.PORT}/health/ready'\\)`));
  });

  it('sets only documented variables or ones the config file interpolates on the BFF', () => {
    for (const [name, svc] of bffServices) {
      const allowed = [...BFF_ENV, ...configVariables(read(configFileOf(svc)))];
      const undocumented = Object.keys(environment(svc)).filter((variable) => !allowed.includes(variable));
      expect({ service: name, undocumented }).toEqual({ service: name, undocumented: [] });
    }
  });

  it('provides every ${VAR} the BFF config file uses', () => {
    for (const [name, svc] of bffServices) {
      const used = configVariables(read(configFileOf(svc)));
      expect(used.length).toBeGreaterThan(0);
      const missing = used.filter((variable) => !(variable in environment(svc)));
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
    }
  });

  it('configures the sandbox OP with documented variables and the issuer the config trusts', () => {
    expect(sandboxServices.map(([name]) => name)).toEqual(['sandbox-op']);
    const env = environment(service('sandbox-op'));
    expect(Object.keys(env).filter((variable) => !SANDBOX_ENV.includes(variable))).toEqual([]);
    expect(env.SANDBOX_HOST).toBe('0.0.0.0');
    expect(env.SANDBOX_ISSUER).toBe(`http://sandbox-op:${env.SANDBOX_PORT}`);
    for (const [, svc] of bffServices) expect(read(configFileOf(svc))).toContain(env.SANDBOX_ISSUER);
  });

  it('leaves every secret empty by default on the BFF, never a `?` rule that would stop `up redis`', () => {
    for (const [name, svc] of bffServices) {
      const env = environment(svc);
      for (const secret of SECRETS) {
        expect({ service: name, secret, value: env[secret] }).toEqual({ service: name, secret, value: `\${${secret}:-}` });
      }
    }
    expect(read('docker-compose.yml').replace(/^\s*#.*$/gm, '')).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*:?\?/);
  });
});

describe('compose interpolation check', () => {
  const env: Variables = { SET: 'value', EMPTY: '', OTHER: 'other' };

  it.each([
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['$SET/${SET}/$UNSET/${UNSET}', 'value/value//'],
    ['${SET:-d} ${EMPTY:-d} ${UNSET:-d}', 'value d d'],
    ['${SET-d} ${EMPTY-d} ${UNSET-d}', 'value  d'],
    ['${SET:+r} ${EMPTY:+r} ${UNSET:+r}', 'r  '],
    ['${SET+r} ${EMPTY+r} ${UNSET+r}', 'r r '],
    ['${UNSET:-${OTHER}} ${UNSET:-${ALSO_UNSET:-deep}}', 'other deep'],
    ['${SET:?needed} ${EMPTY?set but empty is enough}', 'value '],
    ['price: 5$ and $ alone', 'price: 5$ and $ alone'],
  ])('interpolates %s', (text, expected) => {
    expect(interpolateDocument(text, env)).toBe(expected);
  });

  it.each([
    ['${UNSET:?set UNSET}', /required variable UNSET is missing a value: set UNSET/],
    ['${EMPTY:?set EMPTY}', /required variable EMPTY/],
    ['${UNSET?x}', /required variable UNSET/],
    ['${UNSET:-${NESTED:?inner}}', /required variable NESTED/],
    ['${}', /invalid interpolation format/],
    ['${SET!}', /invalid interpolation format/],
    ['${SET:-never closed', /unterminated/],
  ])('refuses %s', (text, problem) => {
    expect(() => interpolateDocument(text, env)).toThrow(problem);
  });

  it('interpolates values, not keys, at any depth, and lists the variables a document uses', () => {
    const doc = { '${KEY}': ['${SET}', { deep: '${UNSET:-${OTHER}}', count: 2 }] };
    expect(interpolateDocument(doc, env)).toEqual({ '${KEY}': ['value', { deep: 'other', count: 2 }] });
    expect(referencedVariables(doc)).toEqual(['OTHER', 'SET', 'UNSET']);
  });
});

describe('docker-compose.yml on a fresh clone', () => {
  // Compose reads .env too; a fresh clone has none, and the shell may have nothing set.
  const fresh = interpolateDocument(compose, {});
  const freshServices = servicesOf(fresh);

  it('interpolates with an empty environment (so `docker compose up redis` needs no .env)', () => {
    expect(composeStructureProblems(fresh)).toEqual([]);
    expect(service('redis').ports).toEqual(['127.0.0.1:${REDIS_PORT:-6379}:6379']);
    expect(freshServices.redis.ports).toEqual(['127.0.0.1:6379:6379']);
  });

  it('binds every published port to 127.0.0.1, with or without the optional variables', () => {
    const published = (doc: unknown) =>
      Object.entries(servicesOf(doc)).flatMap(([name, svc]) => (Array.isArray(svc.ports) ? svc.ports : []).map((port) => ({ name, port })));
    const withPort = interpolateDocument(compose, { REDIS_PORT: '16379' });
    for (const doc of [fresh, withPort]) {
      const all = published(doc);
      expect(all.map(({ name }) => name).sort()).toEqual(['bff-api', 'redis', 'sandbox-op']);
      // Short syntax only (the structure check refuses anything else): host IP, host port, container port.
      expect(all.filter(({ port }) => typeof port !== 'string' || !/^127\.0\.0\.1:\d+(-\d+)?:\d+$/.test(port))).toEqual([]);
    }
    expect(published(withPort)).toContainEqual({ name: 'redis', port: '127.0.0.1:16379:6379' });
  });

  it('names every variable the file uses in .env.example, and nothing else', () => {
    const used = referencedVariables(compose);
    expect(used).toEqual(expect.arrayContaining(['CIBA_ENCRYPTION_KEY', 'DEMO_API_KEY_SHA256', 'SANDBOX_CLIENT_SECRET']));
    const example = [...read('.env.example').matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]).sort();
    expect(example).toEqual(used);
    // Each secret comes with the command that makes it.
    expect(read('.env.example')).toMatch(/openssl rand -base64 32\n(#.*\n)*CIBA_ENCRYPTION_KEY=/);
    expect(read('.env.example')).toMatch(/sha256sum[^\n]*\n(#.*\n)*DEMO_API_KEY_SHA256=/);
  });

  it('makes the BFF refuse to start, naming each secret, when they are missing', () => {
    for (const [name] of bffServices) {
      const env = environment(freshServices[name]);
      const configFile = join(root, configFileOf(service(name)));
      let problems: string[] = [];
      try {
        loadConfigFile(configFile, env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems = error.problems;
      }
      expect({ service: name, problems }).toEqual({
        service: name,
        problems: [
          'providers.sandbox.clientAuth.secret: environment variable SANDBOX_CLIENT_SECRET is not set',
          'consumers.demo.apiKeySha256: environment variable DEMO_API_KEY_SHA256 is not set',
        ],
      });
      expect(() => resolveKeyring(readEnvironment(env), createLogger('silent'))).toThrow(/CIBA_ENCRYPTION_KEY: required/);
    }
  });

  it('starts the BFF with the values .env.example asks for, the demo consumer an admin', () => {
    const filled = interpolateDocument(compose, {
      CIBA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SANDBOX_CLIENT_SECRET: 'a-random-secret',
      DEMO_API_KEY_SHA256: 'ab'.repeat(32),
    });
    const sandboxSecret = environment(servicesOf(filled)['sandbox-op']).SANDBOX_CLIENT_SECRET;
    for (const [name] of bffServices) {
      const env = environment(servicesOf(filled)[name]);
      const config = loadConfigFile(join(root, configFileOf(service(name))), env);
      expect(config.consumers.get('demo')).toMatchObject({ admin: true, providers: ['sandbox'] });
      expect(env.SANDBOX_CLIENT_SECRET).toBe(sandboxSecret);
      expect(resolveKeyring(readEnvironment(env), createLogger('silent'))).toBeDefined();
    }
  });
});

describe('.dockerignore', () => {
  const ignored = existsSync(join(root, '.dockerignore'))
    ? read('.dockerignore')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [];

  it('keeps dependencies, build output, git history, results and secrets out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'bench/results', '.env']));
  });

  it('ignores nothing the Dockerfile copies', () => {
    const copied = stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((word) => !word.startsWith('--'))
          .slice(0, -1),
      );
    expect(copied.filter((path) => ignored.includes(path))).toEqual([]);
  });
});
