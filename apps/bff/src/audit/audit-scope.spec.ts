import type { ConsumerConfig } from '@ciba/config';
import { auditScope } from './audit-scope.js';

describe('auditScope (API.md §6, §7)', () => {
  const admin = { id: 'portal', admin: true } as ConsumerConfig;
  const plain = { id: 'portal', admin: false } as ConsumerConfig;
  const agent = (supervisor: boolean) => ({ subject: 'a1', name: 'A', roles: [], supervisor });

  it('a Bearer caller: the whole trail for an admin consumer, nothing for another', () => {
    expect(auditScope({ consumer: admin })).toEqual({ kind: 'all' });
    expect(auditScope({ consumer: plain })).toEqual({ kind: 'none' });
  });

  it("a console caller: a supervisor reads its consumer's events (admin or not), a plain agent nothing", () => {
    expect(auditScope({ consumer: plain, agent: agent(true) })).toEqual({ kind: 'consumer', consumer: 'portal' });
    expect(auditScope({ consumer: admin, agent: agent(true) })).toEqual({ kind: 'consumer', consumer: 'portal' });
    expect(auditScope({ consumer: admin, agent: agent(false) })).toEqual({ kind: 'none' });
  });
});
