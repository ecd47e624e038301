/** A customer in the simulated Plumery core banking platform. */
export interface PlumeryUser {
  /** The ID Token's `sub`: Plumery's internal user id. */
  sub: string;
  username: string;
  country: string;
  personalId: string;
  phoneNumber: string;
  /** `missing`: "missing valid device"; `uncertified`: "missing valid device authentication". */
  device: 'ready' | 'missing' | 'uncertified';
  givenName: string;
  familyName: string;
}

const user = (
  sub: string,
  username: string,
  country: string,
  personalId: string,
  phoneNumber: string,
  device: PlumeryUser['device'] = 'ready',
): PlumeryUser => ({
  sub,
  username,
  country,
  personalId,
  phoneNumber,
  device,
  givenName: username[0].toUpperCase() + username.slice(1),
  familyName: 'Testaite',
});

/**
 * Test customers, one per scenario (the BFF limits requests per customer). Lithuanian and
 * Estonian personal codes carry valid check digits.
 */
export const PLUMERY_USERS: PlumeryUser[] = [
  user('plm-1001', 'jonas', 'LT', '38001085718', '+37060000666'),
  user('plm-1002', 'ruta', 'LT', '48505051233', '+37060000777'),
  user('plm-1003', 'petras', 'LT', '39001010000', '+37060000888'),
  user('plm-1004', 'egle', 'LT', '49202290014', '+37060000999'),
  user('plm-1005', 'mari', 'EE', '49403136526', '+37255000001'),
  user('plm-1006', 'lukas', 'LT', '38803081230', '+37060001000'),
  user('plm-1007', 'ona', 'LT', '49512124560', '+37060001111', 'missing'),
  user('plm-1008', 'ieva', 'LT', '40101011114', '+37060001222', 'uncertified'),
  user('plm-1009', 'tomas', 'LT', '37001019994', '+37060001333'),
  user('plm-1010', 'kestas', 'LT', '37506123454', '+37060001444'),
  user('plm-1011', 'aldona', 'LT', '36606060605', '+37060001555'),
  user('plm-1012', 'vytas', 'LT', '35501010116', '+37060001666'),
];
