import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error.js';
import { loadConfigFile, parseConfig } from './load-config.js';

const HASH = 'a'.repeat(64);
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ciba-config-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const minimal = () => ({
  providers: {
    sandbox: { issuer: 'https://op.example.com', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: 's' } },
  },
  consumers: { portal: { apiKeySha256: HASH, providers: ['sandbox'] } },
});

function problemsOf(tree: unknown): string[] {
  try {
    parseConfig(tree);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies defaults to a minimal file', () => {
    const config = parseConfig(minimal());
    const provider = config.providers.get('sandbox')!;
    expect(provider).toMatchObject({ id: 'sandbox', profile: 'generic', deliveryMode: 'poll', scope: 'openid', signedRequests: false });
    expect(config.consumers.get('portal')).toMatchObject({ receiveTokens: false, admin: false, rateLimit: { perMinute: 600 } });
    expect(config.limits.perLoginHint).toEqual({ max: 3, windowSeconds: 300 });
  });

  it('provider response limits: defaults, and bounds that name the key', () => {
    expect(parseConfig(minimal()).providers.get('sandbox')).toMatchObject({
      jwksCooldownSeconds: 30,
      trustedAudiences: [],
      maxResponseBytes: 65_536,
    });
    const tree = minimal();
    Object.assign(tree.providers.sandbox, { jwksCooldownSeconds: 0, trustedAudiences: ['ok', 7], maxResponseBytes: 2_000_000 });
    expect(problemsOf(tree)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\.sandbox\.jwksCooldownSeconds: .*not be less than 1/),
        expect.stringMatching(/^providers\.sandbox\.trustedAudiences: .*must be a string/),
        expect.stringMatching(/^providers\.sandbox\.maxResponseBytes: .*not be greater than 1048576/),
      ]),
    );
  });

  it('consumers: several key hashes, or JWT access tokens; each needs a way in, and no key is shared', () => {
    const tree = minimal() as { consumers: Record<string, unknown> };
    tree.consumers.rotating = { apiKeySha256: 'B'.repeat(64), apiKeysSha256: ['c'.repeat(64), 'b'.repeat(64)], providers: ['sandbox'] };
    tree.consumers.pos = { jwt: { issuer: 'https://sso.bank.example', audience: 'ciba-bff', subjects: ['pos-service'] }, providers: [] };
    const config = parseConfig(tree);
    expect(config.consumers.get('rotating')!.keyHashes).toEqual(['b'.repeat(64), 'c'.repeat(64)]);
    expect(config.consumers.get('portal')!.keyHashes).toEqual([HASH]);
    expect(config.consumers.get('pos')).toMatchObject({ keyHashes: [], jwt: { allowInsecureHttp: false, subjects: ['pos-service'] } });

    tree.consumers.nothing = { providers: [] };
    tree.consumers.reused = { apiKeysSha256: ['c'.repeat(64)], providers: [] };
    tree.consumers.plain = { jwt: { issuer: 'http://sso.local', audience: 'a', subjects: [] }, providers: [] };
    tree.consumers.malformed = { apiKeysSha256: ['not-a-hash'], providers: [] };
    expect(problemsOf(tree)).toEqual(
      expect.arrayContaining([
        'consumers.nothing: needs a way to authenticate: apiKeySha256, apiKeysSha256 or jwt',
        expect.stringMatching(/^consumers\.rotating\.apiKeysSha256: the same key hash as consumer "reused"/),
        expect.stringMatching(/^consumers\.plain\.jwt\.subjects: /),
        expect.stringMatching(/^consumers\.malformed\.apiKeysSha256: apiKeysSha256 must list hex SHA-256 hashes/),
      ]),
    );
    delete (tree.consumers.plain as { jwt: { subjects?: string[] } }).jwt.subjects;
    (tree.consumers.plain as { jwt: { subjects: string[] } }).jwt.subjects = ['x'];
    expect(problemsOf(tree)).toContain('consumers.plain.jwt.issuer: must be https (allowInsecureHttp: true only for development)');
  });

  describe('agents (API.md §7)', () => {
    const withAgents = (agents: Record<string, unknown>) => {
      const tree = minimal() as Record<string, any>;
      tree.consumers.desk = { providers: ['sandbox'] };
      tree.agents = agents;
      return tree;
    };
    const idp = () => ({
      issuer: 'https://sso.bank.example',
      clientId: 'ciba-console',
      clientAuth: { method: 'client_secret_basic', secret: 's' },
    });

    it('is optional, and has defaults for everything but the provider and the consumer', () => {
      expect(parseConfig(minimal()).agents).toBeUndefined();
      expect(parseConfig(withAgents({ idp: idp(), consumer: 'desk' })).agents).toMatchObject({
        idp: { issuer: 'https://sso.bank.example', scope: 'openid profile', allowInsecureHttp: false },
        consumer: 'desk',
        roleClaim: 'roles',
        agentRole: 'ciba-agent',
        supervisorRole: 'ciba-supervisor',
        sessionIdleMinutes: 15,
        sessionMaxHours: 10,
        rateLimit: { perMinute: 60 },
      });
    });

    it('the consumer it names needs no key or token of its own; an unnamed one still does', () => {
      const tree = withAgents({ idp: idp(), consumer: 'desk' });
      expect(parseConfig(tree).consumers.get('desk')!.keyHashes).toEqual([]);
      tree.agents.consumer = 'portal';
      expect(problemsOf(tree)).toEqual(['consumers.desk: needs a way to authenticate: apiKeySha256, apiKeysSha256 or jwt']);
    });

    it('takes fractions of a minute for the idle limit (tests use seconds), never zero', () => {
      const redirectUri = 'https://bff.bank.example/console/callback';
      const config = parseConfig(
        withAgents({ idp: { ...idp(), redirectUri }, consumer: 'desk', sessionIdleMinutes: 0.05, sessionMaxHours: 0.5 }),
      );
      expect(config.agents).toMatchObject({ idp: { redirectUri }, sessionIdleMinutes: 0.05, sessionMaxHours: 0.5 });
      expect(problemsOf(withAgents({ idp: idp(), consumer: 'desk', sessionIdleMinutes: 0, sessionMaxHours: 0 }))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^agents\.sessionIdleMinutes: .*not be less than/),
          expect.stringMatching(/^agents\.sessionMaxHours: .*positive/),
        ]),
      );
    });

    it('refuses plain http, an unknown consumer, a scope without openid, a missing secret, and unknown keys', () => {
      const tree = withAgents({
        idp: { ...idp(), issuer: 'http://127.0.0.1:4000', scope: 'profile', clientAuth: { method: 'client_secret_post' }, extra: 1 },
        consumer: 'nobody',
        sessionIdle: 3,
      });
      expect(problemsOf(tree)).toEqual(
        expect.arrayContaining([
          'agents.idp.issuer: must be https (allowInsecureHttp: true only for a local development provider)',
          expect.stringMatching(/^agents\.idp\.scope: scope must contain "openid"/),
          'agents.idp.clientAuth.secret: required for client_secret_post',
          'agents.idp.extra: unknown key',
          'agents.sessionIdle: unknown key',
          'agents.consumer: "nobody" is not a configured consumer',
        ]),
      );
      const local = withAgents({ idp: { ...idp(), issuer: 'http://127.0.0.1:4000', allowInsecureHttp: true }, consumer: 'desk' });
      expect(parseConfig(local).agents!.idp.allowInsecureHttp).toBe(true);
    });

    it('needs the provider and the consumer, and a mapping', () => {
      expect(problemsOf(withAgents({}))).toEqual(
        expect.arrayContaining([expect.stringMatching(/^agents\.idp: /), expect.stringMatching(/^agents\.consumer: /)]),
      );
      expect(problemsOf(withAgents([] as never))).toContain('agents: must be a mapping');
      expect(problemsOf(withAgents({ idp: { ...idp(), clientAuth: undefined }, consumer: 'desk' }))).toEqual([
        expect.stringMatching(/^agents\.idp\.clientAuth: /),
      ]);
    });
  });

  it('names the wrong key and says why', () => {
    const tree = minimal();
    (tree.providers.sandbox.clientAuth as { method: string }).method = 'magic';
    expect(problemsOf(tree)).toEqual([expect.stringMatching(/^providers\.sandbox\.clientAuth\.method: method must be one of/)]);
  });

  it('rejects unknown keys, at any depth', () => {
    const tree = { ...minimal(), extra: 1 } as Record<string, unknown>;
    (tree.providers as { sandbox: Record<string, unknown> }).sandbox.clientSecret = 'typo';
    expect(problemsOf(tree)).toEqual(expect.arrayContaining(['extra: unknown key', 'providers.sandbox.clientSecret: unknown key']));
  });

  it('refuses plain http unless allowed, a consumer of an unknown provider, and a scope without openid', () => {
    const tree = minimal();
    tree.providers.sandbox.issuer = 'http://127.0.0.1:4000';
    (tree.providers.sandbox as Record<string, unknown>).scope = 'profile';
    tree.consumers.portal.providers = ['nope'];
    const problems = problemsOf(tree);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('providers.sandbox.issuer: plain http is refused'),
        expect.stringContaining('providers.sandbox.scope: scope must contain "openid"'),
        'consumers.portal.providers: "nope" is not a configured provider',
      ]),
    );
  });

  it('needs the secret or key that the client authentication method uses', () => {
    const tree = minimal();
    tree.providers.sandbox.clientAuth = { method: 'private_key_jwt' } as never;
    expect(problemsOf(tree)).toEqual([expect.stringContaining('providers.sandbox.clientAuth.privateKey: required')]);
  });

  it('interpolates ${NAME} from the environment and names a missing variable', () => {
    const dir = tempDir();
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      [
        'providers:',
        '  sandbox:',
        '    issuer: https://op.example.com',
        '    clientId: ${CLIENT_ID:-bff}',
        '    clientAuth: { method: client_secret_basic, secret: "${SECRET}" }',
        'consumers:',
        `  portal: { apiKeySha256: ${HASH}, providers: [sandbox] }`,
      ].join('\n'),
    );
    const config = loadConfigFile(file, { SECRET: 'pa: ss' });
    expect(config.providers.get('sandbox')).toMatchObject({ clientId: 'bff', clientAuth: { secret: 'pa: ss' } });
    expect(() => loadConfigFile(file, {})).toThrow(/providers\.sandbox\.clientAuth\.secret: environment variable SECRET is not set/);
  });

  it('reports a file that is not YAML without a stack trace alone', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'providers: [unclosed');
    expect(() => loadConfigFile(file)).toThrow(/Invalid configuration in .*bad\.yaml:\n {2}- not valid YAML/);
  });
});
