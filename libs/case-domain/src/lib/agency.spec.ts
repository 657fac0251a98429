import { AGENCIES, caseStreamId, findAgency, parseCaseStreamId, receiptNumberOwner, validateReceiptNumber } from './agency';

const { USCIS, VBA } = AGENCIES;

describe('USCIS receipt numbers', () => {
  it.each(['IOE0912345678', 'MSC2190000001', 'EAC2290123456', 'WAC2301234567', 'LIN2412345678', 'SRC2512345678', 'NBC2612345678', 'YSC2712345678'])(
    'accepts %s, from a known receipt office',
    (receiptNumber) => {
      expect(validateReceiptNumber(USCIS, receiptNumber)).toBeNull();
    },
  );

  it.each([
    ['one digit short', 'IOE091234567', /12 characters; USCIS receipt numbers have 13/],
    ['one digit long', 'IOE09123456789', /14 characters/],
    ['lower case', 'ioe0912345678', /upper case/],
    ['a letter among the digits', 'IOE09123456O8', /format/],
    ['from an unknown receipt office', 'ABC0912345678', /receipt office \(IOE, MSC, EAC, WAC, LIN, SRC, NBC, YSC\)/],
    ['empty', '', /empty/],
    ['padded with spaces', ' IOE091234567', /format/],
  ])('refuses one that is %s, saying why', (_, receiptNumber, reason) => {
    expect(validateReceiptNumber(USCIS, receiptNumber)).toMatch(reason);
  });
});

describe('VBA receipt numbers', () => {
  it.each(['VBA-2026-0001234', 'VBA-1999-9999999'])('accepts %s, with any 4-digit year', (receiptNumber) => {
    expect(validateReceiptNumber(VBA, receiptNumber)).toBeNull();
  });

  it.each([
    ['one digit short', 'VBA-2026-000123', /15 characters; VBA receipt numbers have 16/],
    ['lower case', 'vba-2026-0001234', /upper case/],
    ['from another prefix', 'VBX-2026-0001234', /format/],
    ['a two-digit year', 'VBA-26-000001234', /format/],
    ['empty', '', /empty/],
    ['a USCIS receipt number', 'IOE0912345678', /13 characters/],
  ])('refuses one that is %s, saying why', (_, receiptNumber, reason) => {
    expect(validateReceiptNumber(VBA, receiptNumber)).toMatch(reason);
  });
});

describe('agency configuration', () => {
  it.each(Object.entries(AGENCIES))('%s is filed under its own code, which has no "-", and its example is valid', (key, agency) => {
    expect(agency.code).toBe(key);
    expect(agency.code).toMatch(/^[A-Z0-9]+$/);
    expect(validateReceiptNumber(agency, agency.receiptNumber.example)).toBeNull();
  });

  it.each(Object.values(AGENCIES))('$code has no duplicate form or office codes', (agency) => {
    const forms = agency.formTypes.map(({ code }) => code);
    const offices = agency.offices.map(({ code }) => code);
    expect(new Set(forms).size).toBe(forms.length);
    expect(new Set(offices).size).toBe(offices.length);
  });

  it.each(Object.values(AGENCIES))('$code has an inquiry route: a public https page and what to do, in English and Spanish', (agency) => {
    const url = new URL(agency.inquiry.url);
    expect(url.protocol).toBe('https:');
    expect(url.username + url.password).toBe('');
    expect(agency.inquiry.howTo.en).toMatch(/^[a-z].*\.$/);
    expect(agency.inquiry.howTo.es).toMatch(/^[a-z].*\.$/);
    expect(agency.inquiry.howTo.es).not.toBe(agency.inquiry.howTo.en);
  });

  it('finds an agency by code and nothing for an unknown or prototype name', () => {
    expect(findAgency('VBA')).toBe(VBA);
    expect(findAgency('SSA')).toBeUndefined();
    expect(findAgency('toString')).toBeUndefined();
  });
});

describe('the owner of a receipt number', () => {
  it.each(Object.values(AGENCIES))('is $code for its example, and no other agency accepts that number', (agency) => {
    expect(receiptNumberOwner(agency.receiptNumber.example)).toBe(agency);
    const others = Object.values(AGENCIES).filter((other) => other !== agency);
    expect(others.filter((other) => validateReceiptNumber(other, agency.receiptNumber.example) === null)).toEqual([]);
  });

  it.each(['ioe0912345678', 'ABC0912345678', 'VBA-26-000001234', '', 'toString'])('is nobody for %j', (receiptNumber) => {
    expect(receiptNumberOwner(receiptNumber)).toBeUndefined();
  });
});

describe('case stream ids', () => {
  it('are case-<agency>-<receipt>', () => {
    expect(caseStreamId('USCIS', 'IOE0912345678')).toBe('case-USCIS-IOE0912345678');
  });

  it.each([
    ['USCIS', 'IOE0912345678'],
    ['VBA', 'VBA-2026-0001234'],
  ])('round-trip for %s, even when the receipt number contains "-"', (agency, receiptNumber) => {
    expect(parseCaseStreamId(caseStreamId(agency, receiptNumber))).toEqual({ agency, receiptNumber });
  });

  it('refuses to build an ambiguous id', () => {
    expect(() => caseStreamId('US-CIS', 'IOE0912345678')).toThrow(RangeError);
    expect(() => caseStreamId('', 'IOE0912345678')).toThrow(RangeError);
    expect(() => caseStreamId('USCIS', '')).toThrow(RangeError);
  });

  it.each(['$all', 'case-', 'case-USCIS', 'case-USCIS-', 'case--IOE0912345678', 'intake-USCIS-IOE0912345678'])('parses %s as not a case stream', (streamId) => {
    expect(parseCaseStreamId(streamId)).toBeNull();
  });
});
