import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, parseConfig, type Profile } from '@ciba/config';
import { parse } from 'yaml';
import { interpolate } from '../../libs/config/src/interpolate.js';

const SANDBOX = join(process.cwd(), 'config/sandbox.yaml');

/** The configuration files the repository ships are documentation: they must stay valid. */
describe('shipped configuration', () => {
  it('config/sandbox.yaml is valid as it is (the embedded default)', () => {
    const config = loadConfigFile(SANDBOX, {});
    expect([...config.providers.keys()]).toContain('sandbox');
    expect(config.consumers.get('demo')?.providers).toContain('sandbox');
  });

  it('every commented provider block, uncommented and filled in, is valid, one per profile', () => {
    const lines = readFileSync(SANDBOX, 'utf8').split('\n');
    const blocks = lines.filter((line) => /^# {2}\S/.test(line) || /^# {4}/.test(line)).map((line) => line.slice(1));
    const tree = parse(`providers:\n${blocks.join('\n')}`) as { providers: Record<string, { profile: Profile }> };
    const filled = interpolate(
      tree,
      new Proxy(
        {},
        { get: (_t, name) => (String(name).endsWith('_ENDPOINT') || String(name).endsWith('_URI') ? 'https://op.example.com/x' : 'value') },
      ),
    );
    const config = parseConfig({ ...(filled as object), consumers: {} });
    const profiles = [...config.providers.values()].map((provider) => provider.profile).sort();
    expect(profiles).toEqual(['idura', 'plumery', 'simpleidserver', 'tbc']);
  });
});
