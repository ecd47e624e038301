import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as client from 'openid-client';

@Controller()
class PingController {
  @Get('ping') ping() {
    return { ok: true, hasCiba: typeof client.initiateBackchannelAuthentication };
  }
}
@Module({ controllers: [PingController] })
class PingModule {}

describe('ESM stack', () => {
  it('boots Nest 12 and loads openid-client 6 under Jest', async () => {
    const mod = await Test.createTestingModule({ imports: [PingModule] }).compile();
    const app = mod.createNestApplication();
    await app.listen(0, '127.0.0.1');
    const res = await fetch(`${await app.getUrl()}/ping`);
    expect(await res.json()).toEqual({ ok: true, hasCiba: 'function' });
    await app.close();
  });
});
