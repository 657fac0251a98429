import type { CaseEvent, CaseEventType, DocumentKind, IsoDate, IsoDateTime } from './case-events';
import { findAgency } from './agency';
import { openEvidenceRequests, type CaseState } from './case';

/**
 * What the public is told about a case: the same steps and words for every agency, in
 * English and Spanish. Texts describe what has happened and what usually comes next; they
 * never promise a date, and never say when or where the person is expected (anyone with the
 * receipt number reads them).
 */

/** The common lifecycle as a step indicator shows it. */
export const PUBLIC_STEPS = ['received', 'in_review', 'evidence', 'decided', 'documents', 'closed'] as const;
export type PublicStep = (typeof PUBLIC_STEPS)[number];

export const PUBLIC_STATUS_CODES = [
  'CASE_RECEIVED',
  'APPOINTMENT_SCHEDULED',
  'APPOINTMENT_MISSED',
  'APPOINTMENT_ATTENDED',
  'CASE_IN_REVIEW',
  'CASE_TRANSFERRED',
  'EVIDENCE_REQUESTED',
  'EVIDENCE_RECEIVED',
  'CASE_REOPENED',
  'CASE_APPROVED',
  'CASE_DENIED',
  'CASE_WITHDRAWN',
  'CASE_ADMINISTRATIVELY_CLOSED',
  'DOCUMENT_PRODUCED',
  'DOCUMENT_MAILED',
  'CASE_CLOSED',
] as const;
export type PublicStatusCode = (typeof PUBLIC_STATUS_CODES)[number];

/** The languages every public text is in. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The one check of a language code from outside; each edge words its own refusal. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export interface Bilingual {
  en: string;
  es: string;
}

export interface PublicStatus {
  code: PublicStatusCode;
  step: PublicStep;
  /** What has happened, in plain words. */
  text: Bilingual;
  /** What usually happens next, and what the person can do. */
  nextStep: Bilingual;
}

const DECISION_DOCUMENTS: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['decision_notice', 'card', 'certificate']);

const DECISION_CODES = {
  approved: 'CASE_APPROVED',
  denied: 'CASE_DENIED',
  withdrawn: 'CASE_WITHDRAWN',
  administratively_closed: 'CASE_ADMINISTRATIVELY_CLOSED',
} as const satisfies Record<string, PublicStatusCode>;

/**
 * Whether an event type is a step the public status can follow. An access code issued for a
 * case is not, nor is a representative appointed or withdrawn: `publicStatus` is asked about
 * the latest event that is.
 */
export function isPublicStep(type: CaseEventType): boolean {
  return !NOT_PUBLIC_STEPS.has(type);
}

const NOT_PUBLIC_STEPS: ReadonlySet<CaseEventType> = new Set<CaseEventType>(['AccessCodeIssued', 'RepresentativeAppointed', 'RepresentativeWithdrawn']);

/**
 * The public status of a case after `lastEvent` (the latest recorded event, which tells
 * transient steps such as a transfer apart). Undefined for a case not yet received.
 */
export function publicStatus(state: CaseState, lastEvent: Pick<CaseEvent, 'type'>): PublicStatus | undefined {
  if (state.phase === 'not_received') return undefined;
  const code = statusCode(state, lastEvent.type);
  return { code, step: STEP_OF[code], ...TEXTS[code](context(state)) };
}

function statusCode(state: CaseState, last: CaseEventType): PublicStatusCode {
  if (state.phase === 'closed') return 'CASE_CLOSED';
  if (state.phase === 'decided') {
    // Only what the decision produces moves the public status on; an earlier receipt or
    // evidence-request notice does not.
    const documents = Object.values(state.documents).filter((d) => DECISION_DOCUMENTS.has(d.kind));
    if (documents.some((d) => d.mailed)) return 'DOCUMENT_MAILED';
    if (documents.length > 0) return 'DOCUMENT_PRODUCED';
    return DECISION_CODES[state.decision?.outcome ?? 'approved'];
  }
  if (Object.keys(openEvidenceRequests(state)).length > 0) return 'EVIDENCE_REQUESTED';
  if (Object.values(state.appointments).some((a) => a.status === 'scheduled')) return 'APPOINTMENT_SCHEDULED';
  switch (last) {
    case 'AppointmentMissed':
      return 'APPOINTMENT_MISSED';
    case 'AppointmentAttended':
      return 'APPOINTMENT_ATTENDED';
    case 'CaseTransferred':
      return 'CASE_TRANSFERRED';
    case 'CaseReopened':
      return 'CASE_REOPENED';
    case 'EvidenceReceived':
      return 'EVIDENCE_RECEIVED';
    default:
      return state.inReview ? 'CASE_IN_REVIEW' : 'CASE_RECEIVED';
  }
}

const STEP_OF: Record<PublicStatusCode, PublicStep> = {
  CASE_RECEIVED: 'received',
  APPOINTMENT_SCHEDULED: 'received',
  APPOINTMENT_MISSED: 'received',
  APPOINTMENT_ATTENDED: 'in_review',
  CASE_IN_REVIEW: 'in_review',
  CASE_TRANSFERRED: 'in_review',
  CASE_REOPENED: 'in_review',
  EVIDENCE_REQUESTED: 'evidence',
  EVIDENCE_RECEIVED: 'in_review',
  CASE_APPROVED: 'decided',
  CASE_DENIED: 'decided',
  CASE_WITHDRAWN: 'decided',
  CASE_ADMINISTRATIVELY_CLOSED: 'decided',
  DOCUMENT_PRODUCED: 'documents',
  DOCUMENT_MAILED: 'documents',
  CASE_CLOSED: 'closed',
};

/**
 * What the public texts may name: the form, the office handling the case and the kind of an
 * upcoming appointment. Never when or where the appointment is, nor when evidence is due:
 * anyone with a receipt number reads these texts (see `privateStatusText`).
 */
interface TextContext {
  form: string;
  office: Bilingual;
  appointmentKind?: Bilingual;
}

const APPOINTMENT_KIND_NAMES: Record<'biometrics' | 'interview', Bilingual> = {
  biometrics: { en: 'biometrics appointment', es: 'cita de datos biométricos' },
  interview: { en: 'interview', es: 'entrevista' },
};

const officeNameOf = (agencyCode: string | null, code: string | null) =>
  (agencyCode ? findAgency(agencyCode)?.offices.find((o) => o.code === code)?.name : undefined) ?? code ?? '';

function context(state: CaseState): TextContext {
  const office = officeNameOf(state.agency, state.office);
  const scheduled = Object.values(state.appointments)
    .filter((a) => a.status === 'scheduled')
    .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor))[0];
  return { form: state.formType ?? '', office: { en: office, es: office }, appointmentKind: scheduled && APPOINTMENT_KIND_NAMES[scheduled.kind] };
}

/** What the private view adds to a case: its upcoming appointments and its open evidence requests. */
export interface PrivateCaseDetails {
  agency: string;
  upcomingAppointments: readonly { kind: 'biometrics' | 'interview'; scheduledFor: IsoDateTime; office: string }[];
  openEvidenceRequests: readonly { dueDate: IsoDate }[];
}

/**
 * The status text for the applicant and the people they allow: the public text, except that
 * a scheduled appointment is named with its date, time and office, and an evidence request
 * with its due date (the earliest of each).
 */
export function privateStatusText(code: PublicStatusCode, publicText: Bilingual, details: PrivateCaseDetails): Bilingual {
  if (code === 'APPOINTMENT_SCHEDULED') {
    const appointment = [...details.upcomingAppointments].sort((a, b) => Date.parse(a.scheduledFor) - Date.parse(b.scheduledFor))[0];
    if (!appointment) return publicText;
    const kind = APPOINTMENT_KIND_NAMES[appointment.kind];
    const date = formatDateTime(appointment.scheduledFor);
    const office = officeNameOf(details.agency, appointment.office);
    return { en: `We scheduled your ${kind.en} for ${date.en} at the ${office}.`, es: `Programamos su ${kind.es} para el ${date.es} en ${office}.` };
  }
  if (code === 'EVIDENCE_REQUESTED') {
    const dueDate = details.openEvidenceRequests.map((request) => request.dueDate).sort()[0];
    if (!dueDate) return publicText;
    const due = formatDate(dueDate);
    return { en: `We asked you for more evidence. We must receive it by ${due.en}.`, es: `Le pedimos más pruebas. Debemos recibirlas a más tardar el ${due.es}.` };
  }
  return publicText;
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** Dates are written out, in the calendar of the text (no time zone is implied for a date). */
export function formatDate(date: IsoDate): Bilingual {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return { en: `${MONTHS_EN[m - 1]} ${d}, ${y}`, es: `${d} de ${MONTHS_ES[m - 1]} de ${y}` };
}

/** Appointment times are shown as the agency sent them (its local offset), date and hour. */
function formatDateTime(dateTime: IsoDateTime): Bilingual {
  const date = formatDate(dateTime.slice(0, 10));
  const time = dateTime.slice(11, 16);
  return { en: `${date.en} at ${time}`, es: `${date.es} a las ${time}` };
}

type Texts = (c: TextContext) => { text: Bilingual; nextStep: Bilingual };

const TEXTS: Record<PublicStatusCode, Texts> = {
  CASE_RECEIVED: ({ form }) => ({
    text: { en: `We received your Form ${form} and opened your case.`, es: `Recibimos su Formulario ${form} y abrimos su caso.` },
    nextStep: {
      en: 'We will review it and tell you if we need an appointment or more evidence. You do not need to do anything now.',
      es: 'Lo revisaremos y le avisaremos si necesitamos una cita o más pruebas. No necesita hacer nada por ahora.',
    },
  }),
  APPOINTMENT_SCHEDULED: ({ appointmentKind }) => ({
    text: {
      en: `We scheduled your ${appointmentKind?.en}. The date, time and place are on the appointment notice we mailed you.`,
      es: `Programamos su ${appointmentKind?.es}. La fecha, la hora y el lugar están en el aviso de cita que le enviamos por correo.`,
    },
    nextStep: {
      en: 'Go to the appointment at the time on your notice and bring the notice and a photo ID. If you cannot go, ask to reschedule before the date.',
      es: 'Asista a la cita a la hora indicada en su aviso y lleve el aviso y una identificación con foto. Si no puede ir, pida otra fecha antes de la cita.',
    },
  }),
  APPOINTMENT_MISSED: () => ({
    text: { en: 'Our records show that you did not attend your appointment.', es: 'Nuestros registros indican que usted no asistió a su cita.' },
    nextStep: {
      en: 'Contact us as soon as possible to reschedule. Missing an appointment can delay or end your case.',
      es: 'Comuníquese con nosotros lo antes posible para programar otra cita. Faltar a una cita puede retrasar o cerrar su caso.',
    },
  }),
  APPOINTMENT_ATTENDED: () => ({
    text: { en: 'You attended your appointment. Thank you.', es: 'Usted asistió a su cita. Gracias.' },
    nextStep: { en: 'We are reviewing your case. You do not need to do anything now.', es: 'Estamos revisando su caso. No necesita hacer nada por ahora.' },
  }),
  CASE_IN_REVIEW: ({ office }) => ({
    text: { en: `An officer at the ${office.en} is reviewing your case.`, es: `Un funcionario de ${office.es} está revisando su caso.` },
    nextStep: {
      en: 'We will tell you if we need more evidence or an interview, or when we make a decision.',
      es: 'Le avisaremos si necesitamos más pruebas o una entrevista, o cuando tomemos una decisión.',
    },
  }),
  CASE_TRANSFERRED: ({ office }) => ({
    text: { en: `We moved your case to the ${office.en} to balance workloads or because it needs that office.`, es: `Trasladamos su caso a ${office.es} para equilibrar el trabajo o porque lo necesita esa oficina.` },
    nextStep: {
      en: 'The new office will continue the review. You do not need to do anything; we will send any notices to you.',
      es: 'La nueva oficina seguirá con la revisión. No necesita hacer nada; le enviaremos cualquier aviso.',
    },
  }),
  EVIDENCE_REQUESTED: () => ({
    text: {
      en: 'We asked you for more evidence. The request we mailed you says what to send and by when.',
      es: 'Le pedimos más pruebas. La solicitud que le enviamos por correo indica qué debe mandar y para cuándo.',
    },
    nextStep: {
      en: 'Follow the instructions in the request we mailed you and send everything it lists before the due date. If you do not answer, we may decide your case without it.',
      es: 'Siga las instrucciones de la solicitud que le enviamos por correo y mande todo lo que pide antes de la fecha límite. Si no responde, podemos decidir su caso sin esas pruebas.',
    },
  }),
  EVIDENCE_RECEIVED: () => ({
    text: { en: 'We received the evidence you sent.', es: 'Recibimos las pruebas que nos envió.' },
    nextStep: { en: 'We are reviewing it with your case. You do not need to do anything now.', es: 'Las estamos revisando junto con su caso. No necesita hacer nada por ahora.' },
  }),
  CASE_REOPENED: () => ({
    text: { en: 'We reopened your case.', es: 'Reabrimos su caso.' },
    nextStep: { en: 'We will review it again and tell you what we decide.', es: 'Lo revisaremos de nuevo y le informaremos lo que decidamos.' },
  }),
  CASE_APPROVED: ({ form }) => ({
    text: { en: `We approved your Form ${form}.`, es: `Aprobamos su Formulario ${form}.` },
    nextStep: { en: 'We will mail you an approval notice and any document that comes with it.', es: 'Le enviaremos por correo un aviso de aprobación y cualquier documento que corresponda.' },
  }),
  CASE_DENIED: ({ form }) => ({
    text: { en: `We denied your Form ${form}.`, es: `Denegamos su Formulario ${form}.` },
    nextStep: {
      en: 'We will mail you a letter that explains why and what you can do, including how to appeal or ask us to reconsider.',
      es: 'Le enviaremos una carta que explica por qué y qué puede hacer, incluso cómo apelar o pedirnos que reconsideremos.',
    },
  }),
  CASE_WITHDRAWN: () => ({
    text: { en: 'Your case was withdrawn at your request.', es: 'Su caso fue retirado a petición suya.' },
    nextStep: { en: 'We will mail you a notice confirming it. No decision will be made on this case.', es: 'Le enviaremos un aviso que lo confirma. No se tomará una decisión sobre este caso.' },
  }),
  CASE_ADMINISTRATIVELY_CLOSED: () => ({
    text: { en: 'We closed your case without a decision on its merits.', es: 'Cerramos su caso sin decidir sobre el fondo.' },
    nextStep: { en: 'We will mail you a notice that explains why and what you can do.', es: 'Le enviaremos un aviso que explica por qué y qué puede hacer.' },
  }),
  DOCUMENT_PRODUCED: () => ({
    text: { en: 'We produced the notice or document for your decision.', es: 'Preparamos el aviso o documento de su decisión.' },
    nextStep: { en: 'We will mail it to the address we have for you.', es: 'Se lo enviaremos por correo a la dirección que tenemos registrada.' },
  }),
  DOCUMENT_MAILED: () => ({
    text: { en: 'We mailed the notice or document for your decision.', es: 'Le enviamos por correo el aviso o documento de su decisión.' },
    nextStep: {
      en: 'Mail usually arrives within two weeks. If it has not arrived after 30 days, contact us.',
      es: 'El correo suele llegar en dos semanas. Si no le llega en 30 días, comuníquese con nosotros.',
    },
  }),
  CASE_CLOSED: () => ({
    text: { en: 'Your case is closed.', es: 'Su caso está cerrado.' },
    nextStep: { en: 'There is nothing more for you to do on this case.', es: 'No tiene que hacer nada más en este caso.' },
  }),
};
