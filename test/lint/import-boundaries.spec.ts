import { ESLint, Linter } from 'eslint';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The patterns of `no-restricted-imports` that apply to a file, as ESLint resolves the configuration. */
async function restrictedFor(file: string): Promise<string[]> {
  const config = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(file)) as {
    rules?: Record<string, [unknown, { patterns?: string[] }?]>;
  };
  const rule = config.rules?.['no-restricted-imports'];
  return rule?.[1]?.patterns ?? [];
}

/**
 * STYLE.md's boundaries, as the lint applies them: a later configuration block replaces an
 * earlier one's options for the same rule, which once left the domain's own list unenforced.
 */
describe('import boundaries in eslint.config.js', () => {
  it('the domain (libs/ciba) may import neither I/O, frameworks, our other libraries nor apps', async () => {
    const patterns = await restrictedFor('libs/ciba/src/polling/poll-policy.ts');
    expect(patterns).toEqual(
      expect.arrayContaining(['**/apps/**', '@ciba/*', 'ioredis', 'bullmq', 'openid-client', '@nestjs/*', 'node:net', 'node:fs']),
    );
  });

  it('another library may use I/O and frameworks, never apps', async () => {
    const patterns = await restrictedFor('libs/store/src/authentication.repository.ts');
    expect(patterns).toContain('**/apps/**');
    expect(patterns).not.toContain('ioredis');
  });

  it('with those options, a forbidden import in the domain is an error and an allowed one is not', async () => {
    const rule = ['error', { patterns: await restrictedFor('libs/ciba/src/forbidden.ts') }] as Linter.RuleEntry;
    const lint = (code: string) =>
      new Linter().verify(code, [{ files: ['**/*.ts'], rules: { 'no-restricted-imports': rule } }], {
        filename: 'libs/ciba/src/forbidden.ts',
      });
    expect(lint(`import { Redis } from 'ioredis';\nexport const use = (url) => new Redis(url);\n`)).toEqual([
      expect.objectContaining({ ruleId: 'no-restricted-imports', severity: 2 }),
    ]);
    expect(lint(`import { randomBytes } from 'node:crypto';\nexport const id = () => randomBytes(8);\n`)).toEqual([]);
  });
});
