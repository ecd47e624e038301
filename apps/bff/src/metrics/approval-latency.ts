import type { Authentication, AuthenticationStatus } from '@ciba/ciba';
import type { Histograms } from '@ciba/store';
import { APPROVAL_TO_RESULT } from './histogram-specs.js';

/**
 * Observes how long an approval took to reach us, when an authentication ends `approved` with an
 * `auth_time` (providers that send none are not measured). Called from the repository's
 * end-of-authentication hook, so poll, ping and push approvals are measured in one place.
 */
export function observeApproval(
  histograms: Histograms,
  record: Authentication,
  status: AuthenticationStatus,
  set: Partial<Authentication>,
  now = Date.now(),
): void {
  const authTime = status === 'approved' && set.result?.authTime ? Date.parse(set.result.authTime) : Number.NaN;
  if (Number.isNaN(authTime)) return;
  histograms.observe(APPROVAL_TO_RESULT, [record.provider, record.deliveryMode], Math.max(0, now - authTime) / 1000);
}
