import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A place where a document is cited: the file (relative to the root), its line and what it names. */
export interface Citation {
  file: string;
  line: number;
  cited: string;
}

const SOURCE = /\.(ts|js|mjs|md|ya?ml|html)$/;

/** Every source or documentation file under the given folders (build output and dependencies skipped). */
export function sourceFiles(root: string, folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((path) => SOURCE.test(path) && !/(^|\/)(node_modules|dist)\//.test(path))
      .map((path) => relative(root, join(root, folder, path))),
  );
}

function citationsIn(file: string, text: string, pattern: RegExp, expand: (match: RegExpExecArray) => string[]): Citation[] {
  return text
    .split('\n')
    .flatMap((content, index) =>
      [...content.matchAll(new RegExp(pattern.source, 'gi'))].flatMap((match) =>
        expand(match).map((cited) => ({ file, line: index + 1, cited })),
      ),
    );
}

// "API.md §n", "API.md §n's", "API.md §n-§m" (a range), "API.md §n, §m" (a list), "API.md §n.m".
const CONTRACT = /API\.md\s*§\s*\d+(?:\.\d+)?(?:\s*(?:,|and|-|–|to)\s*§\s*\d+(?:\.\d+)?)*/;

/** The sections of the contract a text cites, ranges expanded: `§2-§3` cites 2 and 3. */
export function contractCitations(file: string, text: string): Citation[] {
  return citationsIn(file, text, CONTRACT, ([citation]) => {
    const numbers = [...citation.matchAll(/§\s*(\d+(?:\.\d+)?)/g)].map((match) => match[1]);
    if (/§\s*\d+\s*(?:-|–|to)\s*§/.test(citation) && numbers.length === 2) {
      const [from, to] = numbers.map(Number);
      if (Number.isInteger(from) && Number.isInteger(to) && from < to) {
        return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
      }
    }
    return numbers;
  });
}

/** The numbered sections a Markdown document has: `## 4. Title` is "4", `### 4.2 Title` is "4.2". */
export function numberedSections(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((match) => match[1]));
}

/** The seed documents a text cites: "seed 002", "Seed 000". */
export function seedCitations(file: string, text: string): Citation[] {
  return citationsIn(file, text, /\bseed\s+(\d{3})\b/, (match) => [match[1]]);
}

const SEED_HEADING = /^## Seed (\d{3}): (.+) — the facts this adapter relies on\n\n([\s\S]*?)(?=\n## |(?![\s\S]))/gm;

/** The seeds a profile README summarises, each under "## Seed 00N: <title> — the facts this adapter relies on". */
export function seedSummaries(markdown: string): { seed: string; title: string; facts: number }[] {
  return [...markdown.matchAll(SEED_HEADING)].map((match) => ({
    seed: match[1],
    title: match[2],
    facts: match[3].split('\n').filter((line) => line.startsWith('- ')).length,
  }));
}

export function read(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}
