import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '@ciba/config';

const root = packageRoot();

/** `redocly lint` with the repository's redocly.yaml (the recommended rules), as a developer runs it. */
async function lint(): Promise<{ code: number; output: string }> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(root, 'node_modules/.bin/redocly'),
      ['lint', 'docs/openapi.json', '--format=stylish'],
      {
        cwd: root,
        env,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('redocly lint docs/openapi.json', () => {
  it('passes the recommended rules without an error or a warning', async () => {
    const { code, output } = await lint();
    // Stylish format: one `line:column  severity  rule  message` line per problem.
    const problems = output.split('\n').filter((line) => /^\s*\d+:\d+\s+(error|warning)\s/.test(line));
    expect({ code, problems }).toEqual({ code: 0, problems: [] });
    expect(output).toMatch(/Your API description is valid/);
    expect(output).not.toMatch(/You have \d+ warning/);
  }, 60_000);
});
