import type { TbcCustomer } from './tbc-checks.js';

/** The bank's customers in the dialect server; each test uses its own, so none waits on another. */
export const CUSTOMERS = {
  nino: { personalNumber: '01001011111', msisdn: '995599123456', sub: 'tbc-sub-nino', name: 'Nino Beridze', userCode: '483920' },
  giorgi: { personalNumber: '01001022222', msisdn: '995599222222', sub: 'tbc-sub-giorgi', name: 'Giorgi Kapanadze', userCode: '112233' },
  tamar: { personalNumber: '01001033333', msisdn: '995599333333', sub: 'tbc-sub-tamar', name: 'Tamar Lomidze', userCode: '445566' },
  levan: { personalNumber: '01001044444', msisdn: '995599444444', sub: 'tbc-sub-levan', name: 'Levan Gelashvili', userCode: '778899' },
  ana: { personalNumber: '01001055555', msisdn: '995599555555', sub: 'tbc-sub-ana', name: 'Ana Tsiklauri', userCode: '135790' },
  dato: { personalNumber: '01001066666', msisdn: '995599666666', sub: 'tbc-sub-dato', name: 'Dato Javakhishvili', userCode: '246801' },
  eka: { personalNumber: '01001077777', msisdn: '995599777777', sub: 'tbc-sub-eka', name: 'Eka Abashidze', userCode: '975310' },
  irakli: { personalNumber: '01001088888', msisdn: '995599888888', sub: 'tbc-sub-irakli', name: 'Irakli Dolidze', userCode: '864200' },
} satisfies Record<string, TbcCustomer>;

export const TBC_CLIENT = { clientId: 'bff-tbc', clientSecret: 'tbc-test-secret' };
