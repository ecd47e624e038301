import { CibaError } from '@ciba/ciba';
import { MAX_JSON_DEPTH, checkJsonShape } from './json-shape.js';

describe(checkJsonShape.name, () => {
  it('refuses bodies nested too deep, without recursing itself', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(() => checkJsonShape(deep)).toThrow(/nested more than 32 levels/);
    const fine = JSON.parse(`${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}1${'}'.repeat(MAX_JSON_DEPTH - 1)}`) as unknown;
    expect(() => checkJsonShape(fine)).not.toThrow();
  });

  it('refuses prototype-shaped keys anywhere, by name', () => {
    for (const body of ['{"__proto__":{"x":1}}', '{"claims":{"constructor":1}}', '{"toString":"x"}', '{"a":[{"hasOwnProperty":1}]}']) {
      expect(() => checkJsonShape(JSON.parse(body))).toThrow(CibaError);
    }
    expect(() => checkJsonShape(JSON.parse('{"claims":{"__proto__":1}}'))).toThrow(/unknown field "claims.__proto__"/);
    expect(() => checkJsonShape({ provider: 'sandbox', loginHint: { personal_number: '1' } })).not.toThrow();
  });
});
