/** Just enough Dockerfile parsing for the compose spec: instructions per stage. */

export interface DockerInstruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  from: string;
  instructions: DockerInstruction[];
}

export function parseDockerfile(text: string): DockerStage[] {
  // Join backslash continuations, drop comments and blank lines.
  const logicalLines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of logicalLines) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

/** The last value of an instruction in a stage, e.g. the effective CMD or USER. */
export function lastInstruction(stage: DockerStage, keyword: string): string | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
}

/** Parses the exec form `["node", "x.js"]`; shell form is returned as whitespace-split words. */
export function commandWords(args: string): string[] {
  if (args.startsWith('[')) {
    const parsed: unknown = JSON.parse(args);
    if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
      throw new Error(`not an exec-form command: ${args}`);
    }
    return parsed;
  }
  return args.split(/\s+/);
}
