import { consoleRoles, rolesInClaim } from './agent-roles.js';
import { cookieOf } from './cookie-header.js';
import type { Request } from 'express';

const agents = { agentRole: 'ciba-agent', supervisorRole: 'ciba-supervisor' };

describe('roles from the ID Token', () => {
  it('reads an array, or a space-separated string; anything else grants nothing', () => {
    expect(rolesInClaim({ roles: ['ciba-agent', 7, 'x'] }, 'roles')).toEqual(['ciba-agent', 'x']);
    expect(rolesInClaim({ groups: 'x  ciba-supervisor' }, 'groups')).toEqual(['x', 'ciba-supervisor']);
    expect(rolesInClaim({ roles: { 'ciba-agent': true } }, 'roles')).toEqual([]);
    expect(rolesInClaim({}, 'roles')).toEqual([]);
  });

  it('keeps only the roles the console gives meaning to, agent first', () => {
    expect(consoleRoles(['hr', 'ciba-supervisor', 'ciba-agent'], agents)).toEqual(['ciba-agent', 'ciba-supervisor']);
    expect(consoleRoles(['hr'], agents)).toEqual([]);
  });
});

describe('reading a cookie', () => {
  const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as Request;

  it('finds it by its exact name among others, the first when repeated', () => {
    expect(cookieOf(request('a=1; ciba-console-login=2; ciba-console=3; ciba-console=4'), 'ciba-console')).toBe('3');
    expect(cookieOf(request('x-ciba-console=1'), 'ciba-console')).toBeUndefined();
    expect(cookieOf(request(), 'ciba-console')).toBeUndefined();
    expect(cookieOf(request('ciba-console=%E0%A4%A'), 'ciba-console')).toBe('%E0%A4%A');
  });
});
