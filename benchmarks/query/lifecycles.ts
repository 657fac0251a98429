import { AGENCIES, type CaseEvent, type DecisionOutcome } from '@case-status/case-domain';

/**
 * Deterministic, realistic case lifecycles for the query benchmark. Case `n` (0 ≤ n < base)
 * fixes everything about a lifecycle (agency, form, office, dates, which steps happen, where
 * a pending case stands); the global case number `m` only fixes the receipt number. So the
 * case `m = k · base + n` is case `n` under another receipt number, which is what the SQL
 * cloning in `load-read-models.ts` relies on.
 */

const USCIS = AGENCIES['USCIS'];
const VBA = AGENCIES['VBA'];
const USCIS_PREFIXES = USCIS.receiptPrefixes ?? ['IOE'];
/** Service centers, where most USCIS filings are adjudicated. */
const USCIS_CENTERS = USCIS.offices.slice(0, 6).map((office) => office.code);
const USCIS_FIELD_OFFICES = USCIS.offices.slice(6).map((office) => office.code);

/** Digits of the case number in a receipt: USCIS has 10 after the office code, VBA 7 after the year. */
export const RECEIPT_DIGITS: Readonly<Record<string, number>> = { USCIS: 10, VBA: 7 };

/** What is fixed about case n's receipt number; the case number fills the digits. */
export interface ReceiptTemplate {
  agency: string;
  head: string;
  digits: number;
}

export function receiptNumber(template: ReceiptTemplate, m: number): string {
  const digits = String(m);
  if (digits.length > template.digits) throw new RangeError(`case number ${m} does not fit ${template.digits} digits of a ${template.agency} receipt number`);
  return template.head + digits.padStart(template.digits, '0');
}

function random(n: number): () => number {
  let seed = (Math.imul(n + 1, 2654435761) >>> 0) ^ 0x9e3779b9;
  return () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const DAY = 86_400_000;

interface Plan {
  template: ReceiptTemplate;
  events: (receipt: string) => CaseEvent[];
}

/** Case n's lifecycle, deterministic in n. About a third of the cases are still pending, at every step. */
function plan(n: number): Plan {
  const rand = random(n);
  const isVba = n % 4 === 3;
  const agency = isVba ? VBA : USCIS;
  const formType = pick(rand, agency.formTypes).code;
  const office = isVba ? pick(rand, agency.offices).code : pick(rand, USCIS_CENTERS);
  const receivedMs = Date.parse('2024-01-02T00:00:00Z') + Math.floor(rand() * 820) * DAY + (13 + Math.floor(rand() * 8)) * 3_600_000 + Math.floor(rand() * 3600) * 1000;
  const head = isVba ? `VBA-${new Date(receivedMs).getUTCFullYear()}-` : pick(rand, USCIS_PREFIXES);
  // Where a pending case stops: 0 = decided (and onwards), 1..5 = stopped after that step.
  const pending = rand() < 0.33;
  const stopAt = pending ? 1 + Math.floor(rand() * 5) : 0;
  const biometrics = !isVba && rand() < 0.7;
  const evidence = rand() < 0.3;
  const interview = (formType === 'N-400' || formType === 'I-485' || (isVba && rand() < 0.4)) && rand() < 0.8;
  const transfer = rand() < 0.05;
  const outcomeRoll = rand();
  const outcome: DecisionOutcome = outcomeRoll < 0.84 ? 'approved' : outcomeRoll < 0.95 ? 'denied' : outcomeRoll < 0.99 ? 'withdrawn' : 'administratively_closed';
  const waits = Array.from({ length: 8 }, () => 5 + Math.floor(rand() * 90));
  const tracking = 9_400_000_000 + Math.floor(rand() * 99_999_999);

  const events = (receipt: string): CaseEvent[] => {
    let t = receivedMs;
    const at = (days: number): string => iso((t += days * DAY));
    const list: CaseEvent[] = [{ type: 'CaseReceived', data: { agency: agency.code, receiptNumber: receipt, formType, office }, occurredAt: at(0) }];
    list.push({ type: 'DocumentProduced', data: { documentId: 'receipt', kind: 'receipt_notice' }, occurredAt: at(1) });
    list.push({ type: 'DocumentMailed', data: { documentId: 'receipt' }, occurredAt: at(2) });
    if (stopAt === 1) return list;
    if (biometrics) {
      const scheduledFor = iso(t + (waits[0] + 14) * DAY);
      list.push({ type: 'AppointmentScheduled', data: { appointmentId: 'bio', kind: 'biometrics', scheduledFor, office: pick(random(n + 7), USCIS_FIELD_OFFICES) }, occurredAt: at(3) });
      if (stopAt === 2) return list;
      t = Date.parse(scheduledFor);
      list.push({ type: 'AppointmentAttended', data: { appointmentId: 'bio' }, occurredAt: at(0) });
    } else if (stopAt === 2) return list;
    if (transfer) {
      const toOffice = isVba ? VBA.offices[(VBA.offices.findIndex((o) => o.code === office) + 1) % VBA.offices.length].code : USCIS_CENTERS[(USCIS_CENTERS.indexOf(office) + 1) % USCIS_CENTERS.length];
      list.push({ type: 'CaseTransferred', data: { fromOffice: office, toOffice }, occurredAt: at(waits[1]) });
    }
    list.push({ type: 'CaseReviewStarted', data: {}, occurredAt: at(waits[2]) });
    if (stopAt === 3) return list;
    if (evidence) {
      const requestedAt = at(waits[3]);
      list.push({
        type: 'EvidenceRequested',
        data: { requestId: 'rfe-1', dueDate: iso(t + 87 * DAY).slice(0, 10), description: 'Proof of continuous residence for the period stated on the application' },
        occurredAt: requestedAt,
      });
      if (stopAt === 4) return list;
      list.push({ type: 'EvidenceReceived', data: { requestId: 'rfe-1' }, occurredAt: at(waits[4] % 80) });
    } else if (stopAt === 4) return list;
    if (interview) {
      const scheduledFor = iso(t + (waits[5] + 21) * DAY);
      list.push({ type: 'AppointmentScheduled', data: { appointmentId: 'interview', kind: 'interview', scheduledFor, office: isVba ? office : pick(random(n + 11), USCIS_FIELD_OFFICES) }, occurredAt: at(2) });
      if (stopAt === 5) return list;
      t = Date.parse(scheduledFor);
      list.push({ type: 'AppointmentAttended', data: { appointmentId: 'interview' }, occurredAt: at(0) });
    } else if (stopAt === 5) return list;
    list.push({ type: 'DecisionIssued', data: { outcome }, occurredAt: at(waits[6]) });
    if (outcome === 'approved' || outcome === 'denied') {
      list.push({ type: 'DocumentProduced', data: { documentId: 'decision', kind: 'decision_notice' }, occurredAt: at(1) });
      list.push({ type: 'DocumentMailed', data: { documentId: 'decision', trackingNumber: String(tracking) }, occurredAt: at(2) });
    }
    if (outcome === 'approved' && (formType === 'I-485' || formType === 'I-90')) {
      list.push({ type: 'DocumentProduced', data: { documentId: 'card', kind: 'card' }, occurredAt: at(waits[7] % 20) });
      list.push({ type: 'DocumentMailed', data: { documentId: 'card' }, occurredAt: at(1) });
    }
    return list;
  };
  return { template: { agency: agency.code, head, digits: RECEIPT_DIGITS[agency.code] }, events };
}

/** How case n's receipt numbers look (agency, office code or year). */
export function receiptTemplate(n: number): ReceiptTemplate {
  return plan(n).template;
}

/** Case n's lifecycle under global case number m (m = n for the base cases). */
export function lifecycle(n: number, m: number = n): { agency: string; receipt: string; events: CaseEvent[] } {
  const { template, events } = plan(n);
  const receipt = receiptNumber(template, m);
  return { agency: template.agency, receipt, events: events(receipt) };
}
