import type { DecisionOutcome, DocumentKind } from '@case-status/case-domain';

/**
 * How cases of one form tend to go. The figures are plausible, not official: they give
 * each cohort its own shape (steps, durations, outcomes) so processing times differ.
 */
export interface FormProfile {
  /** Share of the agency's arrivals. */
  weight: number;
  /** Offices that receive this form, with their share. */
  offices: readonly (readonly [string, number])[];
  /** Median days from receipt to the start of review, before queueing for a decision. */
  reviewDays: number;
  biometrics: number;
  interview: number;
  /** Where interviews happen: field offices, not the office that has the case. */
  interviewOffices: readonly string[];
  evidenceRequest: number;
  evidenceDueDays: number;
  evidenceDescriptions: readonly string[];
  transfer: number;
  /** Median days of officer work after the last step. */
  workDays: number;
  outcomes: readonly (readonly [DecisionOutcome, number])[];
  /** What an approval produces besides the decision notice. */
  approvalDocument: DocumentKind | null;
  reopen: number;
  reopenReason: string;
}

const USCIS_FIELD_OFFICES = ['NYC', 'LOS', 'CHI', 'HOU', 'MIA'] as const;

export const FORM_PROFILES: Readonly<Record<string, Readonly<Record<string, FormProfile>>>> = {
  USCIS: {
    'I-130': {
      weight: 3, offices: [['NBC', 3], ['VSC', 2], ['CSC', 2], ['PSC', 1]], reviewDays: 60,
      biometrics: 0, interview: 0.1, interviewOffices: USCIS_FIELD_OFFICES,
      evidenceRequest: 0.25, evidenceDueDays: 87, evidenceDescriptions: ['Proof of the family relationship', 'Marriage certificate with English translation'],
      transfer: 0.08, workDays: 30, outcomes: [['approved', 86], ['denied', 9], ['withdrawn', 3], ['administratively_closed', 2]],
      approvalDocument: null, reopen: 0.03, reopenReason: 'Motion to reopen granted',
    },
    'I-485': {
      weight: 2, offices: [['NBC', 4], ['TSC', 1], ['NSC', 1]], reviewDays: 45,
      biometrics: 0.95, interview: 0.6, interviewOffices: USCIS_FIELD_OFFICES,
      evidenceRequest: 0.35, evidenceDueDays: 87, evidenceDescriptions: ['Medical examination (Form I-693)', 'Affidavit of support with tax returns'],
      transfer: 0.15, workDays: 40, outcomes: [['approved', 82], ['denied', 12], ['withdrawn', 3], ['administratively_closed', 3]],
      approvalDocument: 'card', reopen: 0.04, reopenReason: 'Motion to reopen granted',
    },
    'I-765': {
      weight: 4, offices: [['NBC', 1], ['VSC', 1], ['CSC', 1], ['TSC', 1], ['PSC', 1]], reviewDays: 20,
      biometrics: 0.5, interview: 0, interviewOffices: USCIS_FIELD_OFFICES,
      evidenceRequest: 0.1, evidenceDueDays: 87, evidenceDescriptions: ['Copy of the pending application receipt'],
      transfer: 0.03, workDays: 10, outcomes: [['approved', 92], ['denied', 5], ['withdrawn', 2], ['administratively_closed', 1]],
      approvalDocument: 'card', reopen: 0.01, reopenReason: 'Agency error corrected',
    },
    'N-400': {
      weight: 2, offices: [['NBC', 2], ['NYC', 1], ['LOS', 1], ['CHI', 1], ['HOU', 1], ['MIA', 1]], reviewDays: 50,
      biometrics: 0.9, interview: 0.97, interviewOffices: USCIS_FIELD_OFFICES,
      evidenceRequest: 0.15, evidenceDueDays: 87, evidenceDescriptions: ['Tax transcripts for the last five years', 'Certified court dispositions'],
      transfer: 0.1, workDays: 25, outcomes: [['approved', 88], ['denied', 8], ['withdrawn', 2], ['administratively_closed', 2]],
      approvalDocument: 'certificate', reopen: 0.02, reopenReason: 'Request for a hearing granted',
    },
    'I-90': {
      weight: 2, offices: [['NBC', 2], ['PSC', 1]], reviewDays: 30,
      biometrics: 0.85, interview: 0, interviewOffices: USCIS_FIELD_OFFICES,
      evidenceRequest: 0.05, evidenceDueDays: 87, evidenceDescriptions: ['Copy of the expiring card'],
      transfer: 0.02, workDays: 15, outcomes: [['approved', 94], ['denied', 3], ['withdrawn', 1], ['administratively_closed', 2]],
      approvalDocument: 'card', reopen: 0.01, reopenReason: 'Agency error corrected',
    },
  },
  VBA: {
    '21-526EZ': {
      weight: 4, offices: [['RO301', 1], ['RO310', 2], ['RO317', 2], ['RO343', 1], ['RO346', 1], ['RO362', 2]], reviewDays: 20,
      biometrics: 0, interview: 0.65, interviewOffices: ['RO301', 'RO310', 'RO317', 'RO343', 'RO346', 'RO362'],
      evidenceRequest: 0.45, evidenceDueDays: 30, evidenceDescriptions: ['Service treatment records', 'Private medical records for the claimed condition'],
      transfer: 0.12, workDays: 30, outcomes: [['approved', 70], ['denied', 25], ['withdrawn', 3], ['administratively_closed', 2]],
      approvalDocument: null, reopen: 0.06, reopenReason: 'Supplemental claim with new and relevant evidence',
    },
    '20-0995': {
      weight: 1, offices: [['RO310', 1], ['RO317', 1], ['RO362', 1]], reviewDays: 25,
      biometrics: 0, interview: 0.3, interviewOffices: ['RO310', 'RO317', 'RO362'],
      evidenceRequest: 0.3, evidenceDueDays: 30, evidenceDescriptions: ['New and relevant evidence identified in the claim'],
      transfer: 0.05, workDays: 35, outcomes: [['approved', 55], ['denied', 40], ['withdrawn', 3], ['administratively_closed', 2]],
      approvalDocument: null, reopen: 0.02, reopenReason: 'Duty to assist error found',
    },
    '20-0996': {
      weight: 1, offices: [['RO301', 1], ['RO343', 1]], reviewDays: 30,
      biometrics: 0, interview: 0, interviewOffices: ['RO301', 'RO343'],
      evidenceRequest: 0.05, evidenceDueDays: 30, evidenceDescriptions: ['Informal conference availability'],
      transfer: 0.04, workDays: 40, outcomes: [['approved', 45], ['denied', 50], ['withdrawn', 3], ['administratively_closed', 2]],
      approvalDocument: null, reopen: 0.02, reopenReason: 'Duty to assist error found',
    },
    '21-686c': {
      weight: 2, offices: [['RO317', 2], ['RO346', 1]], reviewDays: 15,
      biometrics: 0, interview: 0, interviewOffices: ['RO317'],
      evidenceRequest: 0.2, evidenceDueDays: 30, evidenceDescriptions: ['Marriage certificate', "Child's birth certificate"],
      transfer: 0.03, workDays: 20, outcomes: [['approved', 90], ['denied', 6], ['withdrawn', 2], ['administratively_closed', 2]],
      approvalDocument: null, reopen: 0.01, reopenReason: 'Agency error corrected',
    },
    '10-10EZ': {
      weight: 2, offices: [['RO301', 1], ['RO310', 1], ['RO343', 1], ['RO346', 1], ['RO362', 1]], reviewDays: 5,
      biometrics: 0, interview: 0, interviewOffices: ['RO301'],
      evidenceRequest: 0.1, evidenceDueDays: 30, evidenceDescriptions: ['Proof of income'],
      transfer: 0.02, workDays: 5, outcomes: [['approved', 93], ['denied', 4], ['withdrawn', 2], ['administratively_closed', 1]],
      approvalDocument: 'card', reopen: 0.01, reopenReason: 'Agency error corrected',
    },
  },
};

/**
 * How fast each office works relative to others (1 = typical). Fixed per office, not drawn
 * from the seed, so an office keeps its character across runs.
 */
export const OFFICE_PACE: Readonly<Record<string, number>> = {
  NBC: 1.2, VSC: 0.9, CSC: 1.1, NSC: 0.8, TSC: 1.0, PSC: 1.3, NYC: 1.4, LOS: 1.25, CHI: 1.0, HOU: 0.95, MIA: 1.15,
  RO301: 0.85, RO310: 1.1, RO317: 1.3, RO343: 1.0, RO346: 0.9, RO362: 1.2,
};
