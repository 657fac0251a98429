import { findAgency, isIsoDateTime, type AgencyConfig, type CaseEventType, type DecisionOutcome, type DocumentKind } from '@case-status/case-domain';
import { FORM_PROFILES, OFFICE_PACE, type FormProfile } from './profiles';
import { createRandom, deterministicUuid, hash128, type Random } from './random';

export const BACKLOG_TRENDS = ['growing', 'steady', 'shrinking'] as const;
export type BacklogTrend = (typeof BACKLOG_TRENDS)[number];

/**
 * Decisions an agency can make per arrival. Below 1 the backlog grows, above 1 it is
 * worked down; the queue of ready cases is what makes waiting times follow.
 */
const DECISION_CAPACITY: Readonly<Record<BacklogTrend, number>> = { growing: 0.75, steady: 1, shrinking: 1.35 };

export interface SimulationConfig {
  /** Same seed and config, same events (ids included). */
  seed: string | number;
  /** Agency codes known to the domain and to the simulator's profiles. Default: USCIS and VBA. */
  agencies?: readonly string[];
  /** New cases per simulated day, per agency. */
  casesPerDay: number;
  /** The simulated period, ISO timestamps with offset; events after `end` are left out. */
  start: string;
  end: string;
  /**
   * New cases arrive until then (default `end`); later events of those cases up to `end`
   * are still emitted. Lets a live feed generate stretch by stretch without cutting cases.
   */
  arrivalsEnd?: string;
  backlogTrend?: BacklogTrend;
  /**
   * Simulated days per real day: a simulated duration d happens in d / speedUp. Arrivals
   * are per simulated day, so a higher speed-up also means more cases per real hour.
   */
  speedUp?: number;
  /**
   * Cases already waiting at `start`, as days of arrivals: received over twice as many days
   * before `start` (so the history begins that early), none decided before `start`.
   * Default 180, above the roughly 100 days of arrivals a steady agency keeps open, so a
   * shrinking trend has something to work down; 0 starts empty.
   */
  initialBacklogDays?: number;
  /**
   * Windows during which the agency issues no decision at all (a program pause). Cases that
   * come up in a window are decided from its end on, at the usual capacity, so the queue
   * built up during the pause is worked off afterwards. None by default.
   */
  decisionPauses?: readonly DecisionPause[];
  /**
   * Chance that an answered evidence request is followed by another one (an evidence loop),
   * drawn again after each answer, at most `MAX_EVIDENCE_REQUESTS` requests. 0 by default.
   */
  evidenceLoopChance?: number;
  /** Share of cases transferred to another office, for every form; each form's own share by default. */
  transferChance?: number;
}

/** `from` inclusive, `to` exclusive, ISO timestamps with an offset. */
export interface DecisionPause {
  from: string;
  to: string;
}

/** Evidence requests per case before a decision, loops included. */
export const MAX_EVIDENCE_REQUESTS = 4;

/** One event as the intake's batch endpoint takes it, plus the agency whose token sends it. */
export interface SimulatedEvent {
  receiptNumber: string;
  agency: string;
  eventId: string;
  type: CaseEventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

export class SimulationConfigError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SimulationConfigError';
  }
}

const DAY_MS = 86_400_000;
const MAX_CASES = 2_000_000;

interface Step {
  day: number;
  type: CaseEventType;
  data: Record<string, unknown>;
}

interface PlannedCase {
  agency: AgencyConfig;
  index: number;
  receiptNumber: string;
  profile: FormProfile;
  random: Random;
  steps: Step[];
  /** The day the officer could decide; the decision queue may make it later. */
  readyDay: number;
  forcedOutcome: DecisionOutcome | null;
  counters: { document: number; evidence: number };
}

interface Resolved {
  agencies: AgencyConfig[];
  startMs: number;
  endMs: number;
  /** Simulated days, from start, during which new cases arrive. */
  arrivalsDays: number;
  speedUp: number;
  trend: BacklogTrend;
  backlogDays: number;
  /** Simulated days relative to start, `[from, to)`, ascending. */
  pauses: { from: number; to: number }[];
  evidenceLoopChance: number;
  transferChance: number | null;
}

function resolve(config: SimulationConfig): Resolved {
  const codes = config.agencies ?? ['USCIS', 'VBA'];
  if (codes.length === 0) throw new SimulationConfigError('agencies', 'name at least one agency.');
  const agencies = codes.map((code) => {
    const agency = findAgency(code);
    if (!agency) throw new SimulationConfigError('agencies', `"${code}" is not a known agency (known: ${Object.keys(FORM_PROFILES).join(', ')}).`);
    if (!Object.hasOwn(FORM_PROFILES, code)) throw new SimulationConfigError('agencies', `the simulator has no form profiles for "${code}".`);
    return agency;
  });
  if (new Set(codes).size !== codes.length) throw new SimulationConfigError('agencies', 'an agency is named twice.');
  for (const field of ['start', 'end'] as const) {
    if (!isIsoDateTime(config[field])) throw new SimulationConfigError(field, `"${String(config[field])}" is not an ISO 8601 timestamp with an offset, such as 2026-01-01T00:00:00Z.`);
  }
  const startMs = Date.parse(config.start);
  const endMs = Date.parse(config.end);
  if (endMs <= startMs) throw new SimulationConfigError('end', `must be after start (${config.start}).`);
  if (config.arrivalsEnd !== undefined && !isIsoDateTime(config.arrivalsEnd)) throw new SimulationConfigError('arrivalsEnd', `"${String(config.arrivalsEnd)}" is not an ISO 8601 timestamp with an offset.`);
  const arrivalsEndMs = config.arrivalsEnd === undefined ? endMs : Date.parse(config.arrivalsEnd);
  if (arrivalsEndMs <= startMs || arrivalsEndMs > endMs) throw new SimulationConfigError('arrivalsEnd', `must be after start and not after end (${config.end}).`);
  if (!(Number.isFinite(config.casesPerDay) && config.casesPerDay > 0)) throw new SimulationConfigError('casesPerDay', `must be a positive number, not ${String(config.casesPerDay)}.`);
  const speedUp = config.speedUp ?? 1;
  if (!(Number.isFinite(speedUp) && speedUp >= 1 && speedUp <= 100_000)) throw new SimulationConfigError('speedUp', `must be between 1 and 100000, not ${String(speedUp)}.`);
  const trend = config.backlogTrend ?? 'steady';
  if (!BACKLOG_TRENDS.includes(trend)) throw new SimulationConfigError('backlogTrend', `must be one of ${BACKLOG_TRENDS.join(', ')}, not "${String(trend)}".`);
  const backlogDays = config.initialBacklogDays ?? 180;
  if (!(Number.isFinite(backlogDays) && backlogDays >= 0)) throw new SimulationConfigError('initialBacklogDays', `must be 0 or more, not ${String(backlogDays)}.`);
  const simulatedDays = ((arrivalsEndMs - startMs) / DAY_MS) * speedUp;
  const expected = config.casesPerDay * (simulatedDays + backlogDays) * agencies.length;
  if (expected > MAX_CASES) throw new SimulationConfigError('casesPerDay', `about ${Math.round(expected)} cases would be generated; the limit is ${MAX_CASES}. Shorten the period or lower the volume.`);
  const toDay = (ms: number): number => ((ms - startMs) / DAY_MS) * speedUp;
  return {
    agencies,
    startMs,
    endMs,
    arrivalsDays: simulatedDays,
    speedUp,
    trend,
    backlogDays,
    pauses: resolvePauses(config.decisionPauses ?? [], toDay),
    evidenceLoopChance: resolveShare('evidenceLoopChance', config.evidenceLoopChance ?? 0),
    transferChance: config.transferChance === undefined ? null : resolveShare('transferChance', config.transferChance),
  };
}

function resolvePauses(pauses: readonly DecisionPause[], toDay: (ms: number) => number): { from: number; to: number }[] {
  if (!Array.isArray(pauses)) throw new SimulationConfigError('decisionPauses', 'must be a list of { from, to } windows.');
  return pauses
    .map((pause, index) => {
      const field = `decisionPauses[${index}]`;
      for (const end of ['from', 'to'] as const) {
        if (!isIsoDateTime(pause?.[end])) throw new SimulationConfigError(`${field}.${end}`, `"${String(pause?.[end])}" is not an ISO 8601 timestamp with an offset.`);
      }
      const from = Date.parse(pause.from);
      const to = Date.parse(pause.to);
      if (to <= from) throw new SimulationConfigError(`${field}.to`, `must be after from (${pause.from}).`);
      return { from: toDay(from), to: toDay(to) };
    })
    .sort((a, b) => a.from - b.from);
}

function resolveShare(field: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) throw new SimulationConfigError(field, `must be between 0 and 1, not ${String(value)}.`);
  return value;
}

/**
 * Case lifecycles for the configured agencies, every event in `occurredAt` order (events
 * of one case keep their lifecycle order). Pure: the same config gives the same events.
 */
export function simulate(config: SimulationConfig): SimulatedEvent[] {
  const resolved = resolve(config);
  const seed = String(config.seed);
  const toMs = (day: number): number => Math.floor(resolved.startMs + (day * DAY_MS) / resolved.speedUp);
  const out: { ms: number; order: number; event: SimulatedEvent }[] = [];
  let order = 0;
  for (const agency of resolved.agencies) {
    const arrivals = arrivalDays(createRandom(`${seed}/${agency.code}/arrivals`), config.casesPerDay, resolved.backlogDays, resolved.arrivalsDays);
    const receiptBase = hash128(`${seed}/${agency.code}/receipts`)[1];
    const cases = arrivals.map((day, index) => planCase(seed, agency, index, day, receiptNumberFor(agency, receiptBase + index, toMs(day), index), resolved));
    scheduleDecisions(cases, createRandom(`${seed}/${agency.code}/queue`), config.casesPerDay * DECISION_CAPACITY[resolved.trend], resolved.pauses);
    for (const planned of cases) {
      planned.steps.forEach((step, seq) => {
        let ms = toMs(step.day);
        if (ms > resolved.endMs) return;
        const data = { ...step.data };
        for (const key of ['scheduledFor', 'dueDate'] as const) {
          const value = data[key];
          if (typeof value !== 'number') continue;
          const at = toMs(value);
          data[key] = key === 'dueDate' ? new Date(at).toISOString().slice(0, 10) : new Date(at).toISOString();
        }
        ms = Math.max(ms, 0);
        out.push({
          ms,
          order: order++,
          event: {
            receiptNumber: planned.receiptNumber,
            agency: agency.code,
            eventId: deterministicUuid(`${seed}/${agency.code}/${planned.receiptNumber}/${seq}`),
            type: step.type,
            occurredAt: new Date(ms).toISOString(),
            data,
          },
        });
      });
    }
  }
  out.sort((a, b) => a.ms - b.ms || a.order - b.order);
  return out.map((entry) => entry.event);
}

/** Days (relative to start) on which cases arrive: the backlog before start, then a Poisson stream. */
function arrivalDays(random: Random, perDay: number, backlogDays: number, simulatedDays: number): number[] {
  const days: number[] = [];
  const backlog = Math.round(perDay * backlogDays);
  for (let i = 0; i < backlog; i++) days.push(-2 * backlogDays + (2 * backlogDays * (i + random.next())) / backlog);
  for (let day = random.exponential(1 / perDay); day < simulatedDays; day += random.exponential(1 / perDay)) days.push(day);
  return days;
}

function receiptNumberFor(agency: AgencyConfig, serial: number, receivedMs: number, index: number): string {
  const year = new Date(receivedMs).getUTCFullYear();
  if (agency.code === 'VBA') return `VBA-${year}-${String(serial % 10_000_000).padStart(7, '0')}`;
  const prefixes = agency.receiptPrefixes ?? ['IOE'];
  const prefix = prefixes[index % prefixes.length];
  return `${prefix}${String(year % 100).padStart(2, '0')}${String(serial % 100_000_000).padStart(8, '0')}`;
}

/** Everything up to the point an officer could decide. */
function planCase(
  seed: string,
  agency: AgencyConfig,
  index: number,
  arrival: number,
  receiptNumber: string,
  options: Pick<Resolved, 'evidenceLoopChance' | 'transferChance'>,
): PlannedCase {
  const random = createRandom(`${seed}/${agency.code}/case/${index}`);
  const forms = FORM_PROFILES[agency.code];
  const formType = random.weighted(Object.entries(forms).map(([code, profile]) => [code, profile.weight] as const));
  const profile = forms[formType];
  let office = random.weighted(profile.offices);
  const pace = () => OFFICE_PACE[office] ?? 1;
  const steps: Step[] = [];
  const counters = { document: 0, evidence: 0 };
  let cursor = arrival;
  const at = (day: number, type: CaseEventType, data: Record<string, unknown> = {}) => {
    cursor = Math.max(cursor, day);
    steps.push({ day: cursor, type, data });
  };
  const planned: PlannedCase = { agency, index, receiptNumber, profile, random, steps, readyDay: 0, forcedOutcome: null, counters };
  const mailNew = (kind: DocumentKind) => {
    const documentId = `DOC-${++counters.document}`;
    at(cursor + random.between(0.1, 2), 'DocumentProduced', { documentId, kind });
    at(cursor + random.between(0.5, 3), 'DocumentMailed', random.chance(0.3) ? { documentId, trackingNumber: `9400${String(random.int(0, 999_999_999)).padStart(18, '0')}` } : { documentId });
  };

  at(arrival, 'CaseReceived', { formType, office });
  mailNew('receipt_notice');

  /** Returns false when the applicant never came and the appointment was not set again. */
  const appointment = (appointmentId: string, kind: 'biometrics' | 'interview', leadDays: readonly [number, number]): boolean => {
    let where = random.pick(profile.interviewOffices);
    const scheduled: Record<string, unknown> = { appointmentId, kind, scheduledFor: 0, office: where };
    at(cursor + random.between(2, 10) * pace(), 'AppointmentScheduled', scheduled);
    let scheduledFor = cursor + random.between(leadDays[0], leadDays[1]);
    scheduled['scheduledFor'] = scheduledFor;
    mailNew('appointment_notice');
    if (random.chance(0.12)) {
      const reschedule: Record<string, unknown> = { appointmentId, scheduledFor: 0 };
      at(cursor + (scheduledFor - cursor) * random.between(0.1, 0.8), 'AppointmentRescheduled', reschedule);
      scheduledFor += random.between(7, 21);
      reschedule['scheduledFor'] = scheduledFor;
      if (random.chance(0.3) && profile.interviewOffices.length > 1) {
        where = random.pick(profile.interviewOffices.filter((code) => code !== where));
        reschedule['office'] = where;
      }
    }
    if (random.chance(kind === 'biometrics' ? 0.06 : 0.05)) {
      at(scheduledFor + random.between(0.05, 0.3), 'AppointmentMissed', { appointmentId });
      if (random.chance(0.4)) return false;
      const reschedule: Record<string, unknown> = { appointmentId, scheduledFor: 0 };
      at(cursor + random.between(3, 14), 'AppointmentRescheduled', reschedule);
      scheduledFor = cursor + random.between(14, 28);
      reschedule['scheduledFor'] = scheduledFor;
    }
    // Walk-ins come a little early; `at` keeps the lifecycle order all the same.
    at(scheduledFor + random.between(-0.02, 0.05), 'AppointmentAttended', { appointmentId });
    return true;
  };

  /** Returns false when the request was never answered. */
  const evidence = (): boolean => {
    const requestId = `EV-${++counters.evidence}`;
    at(cursor + random.logNormal(20, 0.5), 'EvidenceRequested', { requestId, dueDate: 0, description: random.pick(profile.evidenceDescriptions) });
    const requestedAt = cursor;
    const dueDay = requestedAt + profile.evidenceDueDays;
    steps[steps.length - 1].data['dueDate'] = dueDay;
    mailNew('evidence_request_notice');
    if (random.chance(0.13)) {
      // Nothing is recorded while the agency waits out the deadline.
      cursor = Math.max(cursor, dueDay + random.between(1, 10));
      return false;
    }
    at(requestedAt + random.between(5, profile.evidenceDueDays * 1.1), 'EvidenceReceived', { requestId });
    return true;
  };

  let abandoned = false;
  if (random.chance(profile.biometrics) && !appointment('BIO-1', 'biometrics', [14, 35])) abandoned = true;
  if (!abandoned) {
    at(arrival + random.logNormal(profile.reviewDays * pace(), 0.35), 'CaseReviewStarted');
    if (random.chance(options.transferChance ?? profile.transfer)) {
      const toOffice = random.pick(agency.offices.map((known) => known.code).filter((code) => code !== office));
      at(cursor + random.between(5, 30) * pace(), 'CaseTransferred', { toOffice });
      office = toOffice;
      at(cursor + random.between(3, 20) * pace(), 'CaseReviewStarted');
    }
    if (random.chance(profile.evidenceRequest)) {
      abandoned = !evidence();
      // Only drawn when loops are asked for, so histories without them stay as they were.
      while (!abandoned && options.evidenceLoopChance > 0 && counters.evidence < MAX_EVIDENCE_REQUESTS && random.chance(options.evidenceLoopChance)) {
        abandoned = !evidence();
      }
    }
  }
  if (!abandoned && random.chance(profile.interview) && !appointment('INT-1', 'interview', [21, 60])) abandoned = true;
  if (abandoned) planned.forcedOutcome = random.weighted([['administratively_closed', 55], ['denied', 45]] as const);
  planned.readyDay = cursor + random.logNormal(profile.workDays * pace(), 0.4);
  return planned;
}

/**
 * Decisions from one queue per agency, ready cases first come first served, at the
 * agency's capacity, none during a pause. Then what follows a decision: notices, cards,
 * closing, reopening.
 */
function scheduleDecisions(cases: PlannedCase[], random: Random, perDay: number, pauses: readonly { from: number; to: number }[]): void {
  const byReady = [...cases].sort((a, b) => a.readyDay - b.readyDay || a.index - b.index);
  let clock = 0;
  for (const planned of byReady) {
    clock = Math.max(clock + (1 / perDay) * random.between(0.5, 1.5), planned.readyDay);
    for (const pause of pauses) if (clock >= pause.from && clock < pause.to) clock = pause.to;
    decideAndFollow(planned, clock);
  }
}

function decideAndFollow(planned: PlannedCase, decisionDay: number): void {
  const { random, profile, steps } = planned;
  let cursor = Math.max(decisionDay, steps[steps.length - 1].day);
  const at = (day: number, type: CaseEventType, data: Record<string, unknown> = {}) => {
    cursor = Math.max(cursor, day);
    steps.push({ day: cursor, type, data });
  };
  const mailNew = (kind: DocumentKind, lag: [number, number]) => {
    const documentId = `DOC-${++planned.counters.document}`;
    at(cursor + random.between(lag[0], lag[1]), 'DocumentProduced', { documentId, kind });
    at(cursor + random.between(0.5, 3), 'DocumentMailed', { documentId });
  };
  const issue = (outcome: DecisionOutcome) => {
    at(cursor, 'DecisionIssued', { outcome });
    mailNew('decision_notice', [0.2, 2]);
    if (outcome === 'approved' && profile.approvalDocument) mailNew(profile.approvalDocument, [3, 14]);
  };

  const outcome = planned.forcedOutcome ?? random.weighted(profile.outcomes);
  issue(outcome);
  const closed = random.chance(0.8);
  if (closed) at(cursor + random.between(1, 10), 'CaseClosed');
  if (outcome !== 'denied' || !random.chance(Math.min(1, profile.reopen * 6))) return;
  at(cursor + random.between(30, 120), 'CaseReopened', { reason: profile.reopenReason });
  at(cursor + random.between(5, 20), 'CaseReviewStarted');
  if (random.chance(0.4)) {
    const requestId = `EV-${++planned.counters.evidence}`;
    const requestedAt = cursor + random.between(5, 20);
    at(requestedAt, 'EvidenceRequested', { requestId, dueDate: requestedAt + profile.evidenceDueDays, description: random.pick(profile.evidenceDescriptions) });
    at(requestedAt + random.between(5, profile.evidenceDueDays), 'EvidenceReceived', { requestId });
  }
  cursor += random.between(20, 60);
  issue(random.weighted([['approved', 60], ['denied', 40]] as const));
  if (random.chance(0.8)) at(cursor + random.between(1, 10), 'CaseClosed');
}
