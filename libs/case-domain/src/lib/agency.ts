import type { Bilingual } from './public-status';

/**
 * What the platform needs to know about an agency to check its events: how its receipt
 * numbers look, which forms it adjudicates and which offices it has. Data only, so adding
 * an agency is adding a record, not code.
 */
export interface AgencyConfig {
  /** Upper-case letters and digits only: it is part of stream ids, which split on `-`. */
  code: string;
  name: string;
  receiptNumber: {
    pattern: RegExp;
    /** Every valid receipt number has exactly this many characters. */
    length: number;
    example: string;
    /** Plain-language description of the format, used in error messages. */
    description: string;
  };
  /** When set, a receipt number must start with one of these (e.g. the USCIS receipt office). */
  receiptPrefixes?: readonly string[];
  formTypes: readonly { code: string; name: string }[];
  offices: readonly { code: string; name: string }[];
  /** How a person asks the agency about a case that is taking longer than most. */
  inquiry: AgencyInquiry;
}

/** The agency's own route for asking about a case: a public https page, and what to do there (or instead). */
export interface AgencyInquiry {
  url: string;
  /** One or two sentences, ready to follow "here is what you can do:". */
  howTo: Bilingual;
}

const USCIS: AgencyConfig = {
  code: 'USCIS',
  name: 'U.S. Citizenship and Immigration Services',
  receiptNumber: {
    pattern: /^[A-Z]{3}[0-9]{10}$/,
    length: 13,
    example: 'IOE0912345678',
    description: 'a 3-letter receipt office code followed by 10 digits',
  },
  receiptPrefixes: ['IOE', 'MSC', 'EAC', 'WAC', 'LIN', 'SRC', 'NBC', 'YSC'],
  formTypes: [
    { code: 'I-130', name: 'Petition for Alien Relative' },
    { code: 'I-485', name: 'Application to Register Permanent Residence or Adjust Status' },
    { code: 'I-765', name: 'Application for Employment Authorization' },
    { code: 'N-400', name: 'Application for Naturalization' },
    { code: 'I-90', name: 'Application to Replace Permanent Resident Card' },
  ],
  offices: [
    { code: 'NBC', name: 'National Benefits Center' },
    { code: 'VSC', name: 'Vermont Service Center' },
    { code: 'CSC', name: 'California Service Center' },
    { code: 'NSC', name: 'Nebraska Service Center' },
    { code: 'TSC', name: 'Texas Service Center' },
    { code: 'PSC', name: 'Potomac Service Center' },
    { code: 'NYC', name: 'New York City Field Office' },
    { code: 'LOS', name: 'Los Angeles Field Office' },
    { code: 'CHI', name: 'Chicago Field Office' },
    { code: 'HOU', name: 'Houston Field Office' },
    { code: 'MIA', name: 'Miami Field Office' },
  ],
  inquiry: {
    url: 'https://egov.uscis.gov/e-request/',
    howTo: {
      en: 'if your case is outside USCIS’s normal processing time, submit a case inquiry online through USCIS e-Request, or call the USCIS Contact Center at 800-375-5283.',
      es: 'si su caso está fuera del tiempo normal de trámite de USCIS, presente una consulta en línea por medio de e-Request de USCIS, o llame al Centro de Contacto de USCIS al 800-375-5283.',
    },
  },
};

const VBA: AgencyConfig = {
  code: 'VBA',
  name: 'Veterans Benefits Administration',
  receiptNumber: {
    pattern: /^VBA-[0-9]{4}-[0-9]{7}$/,
    length: 16,
    example: 'VBA-2026-0001234',
    description: '"VBA-", the 4-digit year the claim was filed, "-", then a 7-digit claim number',
  },
  formTypes: [
    { code: '21-526EZ', name: 'Application for Disability Compensation and Related Compensation Benefits' },
    { code: '20-0995', name: 'Decision Review Request: Supplemental Claim' },
    { code: '20-0996', name: 'Decision Review Request: Higher-Level Review' },
    { code: '21-686c', name: 'Application Request to Add and/or Remove Dependents' },
    { code: '10-10EZ', name: 'Application for Health Benefits' },
  ],
  offices: [
    { code: 'RO301', name: 'Boston Regional Office' },
    { code: 'RO310', name: 'Philadelphia Regional Office' },
    { code: 'RO317', name: 'St. Petersburg Regional Office' },
    { code: 'RO343', name: 'Oakland Regional Office' },
    { code: 'RO346', name: 'Seattle Regional Office' },
    { code: 'RO362', name: 'Houston Regional Office' },
  ],
  inquiry: {
    url: 'https://ask.va.gov/',
    howTo: {
      en: 'ask VA about your claim through Ask VA, or call VA benefits at 800-827-1000.',
      es: 'pregunte a VA sobre su reclamación por medio de Ask VA, o llame a la línea de beneficios de VA al 800-827-1000.',
    },
  },
};

export const AGENCIES: Readonly<Record<string, AgencyConfig>> = { USCIS, VBA };

export function findAgency(code: string): AgencyConfig | undefined {
  return Object.hasOwn(AGENCIES, code) ? AGENCIES[code] : undefined;
}

export function isKnownFormType(agency: AgencyConfig, formType: string): boolean {
  return agency.formTypes.some((form) => form.code === formType);
}

export function isKnownOffice(agency: AgencyConfig, office: string): boolean {
  return agency.offices.some((known) => known.code === office);
}

/** Returns null when the receipt number is valid for the agency, otherwise why it is not. */
export function validateReceiptNumber(agency: AgencyConfig, receiptNumber: string): string | null {
  const format = agency.receiptNumber;
  const expected = `${agency.code} receipt numbers are ${format.description} (for example ${format.example})`;
  if (typeof receiptNumber !== 'string' || receiptNumber.length === 0) {
    return `The receipt number is empty. ${expected}.`;
  }
  if (receiptNumber.length !== format.length) {
    return `"${receiptNumber}" has ${receiptNumber.length} characters; ${agency.code} receipt numbers have ${format.length}: ${format.description} (for example ${format.example}).`;
  }
  if (!format.pattern.test(receiptNumber)) {
    const hint = format.pattern.test(receiptNumber.toUpperCase()) ? ' Letters must be upper case.' : '';
    return `"${receiptNumber}" is not in the expected format: ${expected}.${hint}`;
  }
  const prefixes = agency.receiptPrefixes;
  if (prefixes && !prefixes.some((prefix) => receiptNumber.startsWith(prefix))) {
    return `"${receiptNumber}" does not start with a known ${agency.code} receipt office (${prefixes.join(', ')}).`;
  }
  return null;
}

/**
 * The agency whose receipt-number format the number has, if any. Formats of different
 * agencies never overlap (the agency spec holds every pair to that), so a well-formed number
 * has exactly one owner and the public may look a case up by its number alone.
 */
export function receiptNumberOwner(receiptNumber: string): AgencyConfig | undefined {
  return Object.values(AGENCIES).find((agency) => validateReceiptNumber(agency, receiptNumber) === null);
}

const STREAM_PREFIX = 'case-';

/**
 * The event stream of one case: `case-<AGENCY>-<receipt>`. The agency code never contains
 * `-`, so the first `-` after the prefix separates it from the receipt number, which may.
 */
export function caseStreamId(agencyCode: string, receiptNumber: string): string {
  if (agencyCode.length === 0 || agencyCode.includes('-')) {
    throw new RangeError(`Agency code "${agencyCode}" cannot be used in a stream id: it must be non-empty and contain no "-".`);
  }
  if (receiptNumber.length === 0) {
    throw new RangeError('A stream id needs a receipt number.');
  }
  return `${STREAM_PREFIX}${agencyCode}-${receiptNumber}`;
}

/** The inverse of `caseStreamId`; null for anything that is not a case stream id. */
export function parseCaseStreamId(streamId: string): { agency: string; receiptNumber: string } | null {
  if (!streamId.startsWith(STREAM_PREFIX)) return null;
  const rest = streamId.slice(STREAM_PREFIX.length);
  const separator = rest.indexOf('-');
  if (separator <= 0 || separator === rest.length - 1) return null;
  return { agency: rest.slice(0, separator), receiptNumber: rest.slice(separator + 1) };
}
