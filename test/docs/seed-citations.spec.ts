import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { read, seedCitations, seedSummaries, sourceFiles } from './citations.js';

const root = process.cwd();
const PROFILES = join('libs', 'providers', 'src');
const profileReadmes = readdirSync(join(root, PROFILES), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(PROFILES, entry.name, 'README.md'))
  .filter((file) => {
    try {
      return read(root, file).length > 0;
    } catch {
      return false;
    }
  });

describe('citations of the seed pages', () => {
  it('finds "seed 00N" citations and README summaries', () => {
    const word = 'seed';
    expect(seedCitations('x.ts', `(${word} 002, guide)\nSeed 000's page; ${word}s 1; ${word} 0031`).map(({ cited }) => cited)).toEqual([
      '002',
      '000',
    ]);
    const readme = `# P\n\n## ${'Seed'} 007: A page — the facts this adapter relies on\n\nIntro.\n\n- one\n- two\n\n## Configure\n`;
    expect(seedSummaries(readme)).toEqual([{ seed: '007', title: 'A page', facts: 2 }]);
  });

  it('every seed-based profile README summarises its seed page', () => {
    const summaries = Object.fromEntries(profileReadmes.map((file) => [file.split('/').at(-2), seedSummaries(read(root, file))]));
    expect(summaries).toMatchObject({
      tbc: [{ seed: '000', facts: expect.any(Number) }],
      simpleidserver: [{ seed: '001', facts: expect.any(Number) }],
      idura: [{ seed: '002', facts: expect.any(Number) }],
      plumery: [{ seed: '003', facts: expect.any(Number) }],
    });
    for (const profile of ['tbc', 'simpleidserver', 'idura', 'plumery']) expect(summaries[profile][0].facts).toBeGreaterThanOrEqual(4);
  });

  it('every "seed 00N" cited in apps/, libs/ and test/ is summarised by a profile README', () => {
    const named = new Set(profileReadmes.flatMap((file) => seedSummaries(read(root, file)).map(({ seed }) => seed)));
    const citations = sourceFiles(root, ['apps', 'libs', 'test']).flatMap((file) => seedCitations(file, read(root, file)));
    expect(citations.length).toBeGreaterThan(10);
    expect(citations.filter(({ cited }) => !named.has(cited))).toEqual([]);
  });
});
