import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contractCitations, numberedSections, read, sourceFiles } from './citations.js';

const root = process.cwd();
// Built by concatenation so this file does not cite anything itself.
const cite = (section: string) => `API.md ${'§'}${section}`;

describe('citations of the contract (API.md is docs/api.md)', () => {
  it('finds single sections, lists, ranges and sub-sections', () => {
    const text = [`see ${cite('4')}'s table`, `(${cite('2')}-§3)`, `${cite('4')}, §7 and ${cite('6.1')}.`].join('\n');
    expect(contractCitations('x.ts', text).map(({ line, cited }) => `${line}:${cited}`)).toEqual([
      '1:4',
      '2:2',
      '2:3',
      '3:4',
      '3:7',
      '3:6.1',
    ]);
    expect([...numberedSections('# Title\n## 1. One\ntext 2. no\n### 1.2 Sub\n## 10. Ten\n')]).toEqual(['1', '1.2', '10']);
  });

  it('docs/api.md is the contract, with its numbered sections', () => {
    expect(existsSync(join(root, 'docs/api.md'))).toBe(true);
    expect([...numberedSections(read(root, 'docs/api.md'))]).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('every "API.md §n" in apps/, libs/, test/ and the README names a section docs/api.md has', () => {
    const sections = numberedSections(read(root, 'docs/api.md'));
    const citations = [...sourceFiles(root, ['apps', 'libs', 'test']), 'README.md'].flatMap((file) =>
      contractCitations(file, read(root, file)),
    );
    // The scan must see the code's many citations, or it proves nothing.
    expect(citations.length).toBeGreaterThan(50);
    expect(citations.filter(({ cited }) => !sections.has(cited))).toEqual([]);
  });

  it('the README says where API.md is', () => {
    expect(read(root, 'README.md')).toMatch(/\[[^\]]*\]\(docs\/api\.md\)/);
    expect(read(root, 'README.md')).not.toContain('../shared/API.md');
  });
});
