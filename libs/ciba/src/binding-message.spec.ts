import { BINDING_MESSAGE_ALPHABET, generateBindingMessage } from './binding-message.js';

describe(generateBindingMessage.name, () => {
  it('makes 6 characters of the unambiguous alphabet, different each time', () => {
    const codes = Array.from({ length: 200 }, generateBindingMessage);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z0-9]{6}$/);
      for (const char of code) expect(BINDING_MESSAGE_ALPHABET).toContain(char);
    }
    expect(new Set(codes).size).toBeGreaterThan(190);
    expect(codes.join('')).not.toMatch(/[01OIL]/);
  });
});
