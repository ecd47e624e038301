/** A person the sandbox can authenticate. Every value is fictional. */
export interface DemoCustomer {
  /** What a relying party normally sends as `login_hint`. */
  username: string;
  /** Opaque, stable subject identifier (the ID Token `sub`). */
  sub: string;
  name: string;
  /** 11-digit Georgian-style personal number; also accepted as `login_hint`. */
  personalNumber: string;
  /** E.164 phone number; also accepted as `login_hint`. */
  phoneNumber: string;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = Object.freeze(
  [
    { username: 'alice', sub: '248289761001', name: 'Alice Beridze', personalNumber: '01001011111', phoneNumber: '+995599123456' },
    { username: 'bob', sub: '248289761002', name: 'Bob Kapanadze', personalNumber: '01001022222', phoneNumber: '+995599234567' },
    { username: 'carol', sub: '248289761003', name: 'Carol Lomidze', personalNumber: '01001033333', phoneNumber: '+995599345678' },
    { username: 'dave', sub: '248289761004', name: 'Dave Gelashvili', personalNumber: '01001044444', phoneNumber: '+995599456789' },
  ].map((customer) => Object.freeze(customer)),
);

/**
 * Resolves a `login_hint` (or a simulator query) to a customer: user name, personal number
 * or phone number, because relying parties identify bank customers in all three ways.
 */
export function findCustomerByHint(hint: string): DemoCustomer | undefined {
  const value = hint.trim();
  return DEMO_CUSTOMERS.find(
    (customer) => customer.username === value.toLowerCase() || customer.personalNumber === value || customer.phoneNumber === value,
  );
}

export function findCustomerBySub(sub: string): DemoCustomer | undefined {
  return DEMO_CUSTOMERS.find((customer) => customer.sub === sub);
}

/** The claims an ID Token (or userinfo) may carry for a customer; scopes decide what is released. */
export function customerClaims(customer: DemoCustomer): Record<string, string> {
  return {
    sub: customer.sub,
    name: customer.name,
    personal_number: customer.personalNumber,
    phone_number: customer.phoneNumber,
  };
}
