import { CookieJar } from '../support/workforce-sign-in.js';

describe('CookieJar (the test browser of test/support/workforce-sign-in.ts)', () => {
  it('keys cookies by host name, not port, as browsers do', () => {
    const jar = new CookieJar();
    jar.store('http://127.0.0.1:4000/auth', ['sid=1; Path=/']);
    expect(jar.header('http://127.0.0.1:3000/console')).toBe('sid=1');
    expect(jar.header('http://localhost:4000/auth')).toBe('');
  });

  it('sends a cookie only under its Path, the longer path first', () => {
    const jar = new CookieJar();
    jar.store('http://op.test/auth', ['i=u1; Path=/interaction/u1; HttpOnly', 'session=s; Path=/']);
    expect(jar.header('http://op.test/interaction/u1')).toBe('i=u1; session=s');
    expect(jar.header('http://op.test/interaction/u1/login')).toBe('i=u1; session=s');
    expect(jar.header('http://op.test/interaction/u12')).toBe('session=s');
    expect(jar.get('http://op.test/interaction/u1/login', 'i')).toBe('u1');
    expect(jar.get('http://op.test/', 'i')).toBeUndefined();
  });

  it('defaults the path to the directory of the URL that set it', () => {
    const jar = new CookieJar();
    jar.store('http://rp.test/console/callback?code=x', ['c=1']);
    expect(jar.header('http://rp.test/console/other')).toBe('c=1');
    expect(jar.header('http://rp.test/')).toBe('');
  });

  it('replaces a cookie of the same name and path, and forgets it on Max-Age=0 or a past Expires', () => {
    const jar = new CookieJar();
    jar.store('http://rp.test/', ['a=1; Path=/', 'b=1; Path=/']);
    jar.store('http://rp.test/', ['a=2; Path=/']);
    expect(jar.header('http://rp.test/')).toBe('a=2; b=1');
    jar.store('http://rp.test/', ['a=; Path=/; Max-Age=0', 'b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header('http://rp.test/')).toBe('');
  });

  it('lets Max-Age win over Expires', () => {
    const jar = new CookieJar();
    jar.store('http://rp.test/', ['a=1; Path=/; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.get('http://rp.test/', 'a')).toBe('1');
  });

  it('sends Secure cookies over https and to loopback hosts only', () => {
    const jar = new CookieJar();
    jar.store('https://bank.test/', ['s=1; Path=/; Secure']);
    jar.store('http://127.0.0.1:3000/', ['s=2; Path=/; Secure']);
    expect(jar.header('https://bank.test/')).toBe('s=1');
    expect(jar.header('http://bank.test/')).toBe('');
    expect(jar.header('http://127.0.0.1:3000/')).toBe('s=2');
  });
});
