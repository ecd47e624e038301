import { CibaError } from '@ciba/ciba';
import { canonicalSsn, luhnValid, parseSsn } from './idura-ssn.js';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('Idura SSN rules', () => {
  describe('Swedish personnummer', () => {
    it("takes the seed's 12-digit number as it is", () => {
      expect(parseSsn('196802020575', undefined, NOW)).toEqual({ country: 'SE', digits: '196802020575' });
      expect(parseSsn('19680202-0575', 'SE', NOW).digits).toBe('196802020575');
    });

    it('gives a 10-digit number its century: "-" younger than 100, "+" 100 or older', () => {
      expect(parseSsn('680202-0575', undefined, NOW).digits).toBe('196802020575');
      expect(parseSsn('6802020575', undefined, NOW).digits).toBe('196802020575');
      expect(parseSsn('680202+0575', undefined, NOW).digits).toBe('186802020575');
      expect(parseSsn('200105-5512', undefined, NOW).digits).toBe('202001055512');
    });

    it('puts a birthday later this century in the previous one', () => {
      // 26-12-31 has not happened yet on 2026-03-01, so it is 1926.
      const tenDigits = tenDigitWithLuhn('261231123');
      expect(parseSsn(tenDigits, undefined, NOW).digits).toBe(`19${tenDigits}`);
      const thisYear = tenDigitWithLuhn('260101123');
      expect(parseSsn(thisYear, undefined, NOW).digits).toBe(`20${thisYear}`);
    });

    it('folds Unicode digits and drops spaces before checking', () => {
      expect(parseSsn('１９６８０２０２－０５７５', undefined, NOW).digits).toBe('196802020575');
      expect(parseSsn(' 19680202 0575 ', undefined, NOW).digits).toBe('196802020575');
      expect(parseSsn('١٩٦٨٠٢٠٢٠٥٧٥', undefined, NOW).digits).toBe('196802020575');
    });

    it('accepts a samordningsnummer (day of birth + 60)', () => {
      const coordination = tenDigitWithLuhn('680262057');
      expect(parseSsn(`19${coordination}`, undefined, NOW).country).toBe('SE');
    });

    it('refuses a wrong check digit, an impossible date, a future date and stray characters', () => {
      expect(() => parseSsn('196802020576', undefined, NOW)).toThrow(/check digit/);
      expect(() => parseSsn(`19${tenDigitWithLuhn('681302057')}`, undefined, NOW)).toThrow(/date of birth/);
      expect(() => parseSsn(`20${tenDigitWithLuhn('270101123')}`, undefined, NOW)).toThrow(/date of birth/);
      expect(() => parseSsn('19680202+0575', undefined, NOW)).toThrow(CibaError);
      expect(() => parseSsn('1968O2020575', undefined, NOW)).toThrow(/digits/);
      expect(() => parseSsn('19680202\u200b0575', undefined, NOW)).toThrow(/digits/);
    });

    it('runs Luhn over the last ten digits only', () => {
      expect(luhnValid('6802020575')).toBe(true);
      expect(luhnValid('6802020574')).toBe(false);
    });
  });

  describe('Norwegian fødselsnummer', () => {
    it('checks both mod-11 digits', () => {
      expect(parseSsn('15038545660', undefined, NOW)).toEqual({ country: 'NO', digits: '15038545660' });
      expect(parseSsn('150385 45660', 'NO', NOW).digits).toBe('15038545660');
      expect(() => parseSsn('15038545661', undefined, NOW)).toThrow(/check digits/);
      expect(() => parseSsn('15038545670', undefined, NOW)).toThrow(/check digits/);
    });

    it('keeps the leading zero', () => {
      expect(parseSsn('02020202001', undefined, NOW).digits).toBe('02020202001');
    });
  });

  it('chooses the rule by length and refuses one that does not fit the requested eID', () => {
    expect(() => parseSsn('12345', undefined, NOW)).toThrow(/10 or 12 digits/);
    expect(() => parseSsn('196802020575', 'NO', NOW)).toThrow(/Norwegian eID/);
    expect(() => parseSsn('15038545660', 'SE', NOW)).toThrow(/Swedish eID/);
  });

  it('never echoes the number in its messages', () => {
    try {
      parseSsn('196802020576', undefined, NOW);
    } catch (error) {
      expect((error as Error).message).not.toContain('0576');
    }
    expect.assertions(1);
  });

  it('canonicalises ID Token claims, and leaves what is no SSN as text', () => {
    expect(canonicalSsn('6802020575', NOW)).toBe('196802020575');
    expect(canonicalSsn('19680202-0575', NOW)).toBe('196802020575');
    expect(canonicalSsn('not an ssn', NOW)).toBe('not an ssn');
  });
});

/** Appends the Luhn digit to nine digits. */
function tenDigitWithLuhn(nine: string): string {
  for (let digit = 0; digit <= 9; digit += 1) if (luhnValid(`${nine}${digit}`)) return `${nine}${digit}`;
  throw new Error('unreachable');
}
