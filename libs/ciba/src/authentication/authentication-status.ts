/** API.md §4: the statuses of an authentication. The last five are terminal. */
export const AuthenticationStatus = {
  Pending: 'pending',
  AwaitingUserCode: 'awaiting_user_code',
  Approved: 'approved',
  Denied: 'denied',
  Expired: 'expired',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;

export type AuthenticationStatus = (typeof AuthenticationStatus)[keyof typeof AuthenticationStatus];

export const ACTIVE_STATUSES: readonly AuthenticationStatus[] = ['pending', 'awaiting_user_code'];
export const TERMINAL_STATUSES: readonly AuthenticationStatus[] = ['approved', 'denied', 'expired', 'failed', 'cancelled'];

export const isTerminal = (status: AuthenticationStatus): boolean => TERMINAL_STATUSES.includes(status);

export const isAuthenticationStatus = (value: unknown): value is AuthenticationStatus =>
  typeof value === 'string' && (Object.values(AuthenticationStatus) as string[]).includes(value);
