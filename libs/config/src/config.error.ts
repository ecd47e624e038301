/** A configuration problem: says which key is wrong and why. Start-up prints it and stops. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    source?: string,
  ) {
    super(`Invalid configuration${source ? ` in ${source}` : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
