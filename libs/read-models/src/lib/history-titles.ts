import type { Bilingual, CaseEvent, DecisionOutcome, PublicStep } from '@case-status/case-domain';

const DECISION_TITLES: Record<DecisionOutcome, Bilingual> = {
  approved: { en: 'Case approved', es: 'Caso aprobado' },
  denied: { en: 'Case denied', es: 'Caso denegado' },
  withdrawn: { en: 'Case withdrawn', es: 'Caso retirado' },
  administratively_closed: { en: 'Case closed without a decision on its merits', es: 'Caso cerrado sin decisión sobre el fondo' },
};

/**
 * The timeline entry an event shows as: a step of the common lifecycle and a short title.
 * Fixed per event type (not derived from the case's status at the time), so a late event
 * gets the same entry whichever order it was recorded in. Undefined for an event type from
 * a newer taxonomy, which the timeline leaves out until it knows how to word it.
 */
export function historyEntryOf(event: CaseEvent): { step: PublicStep; title: Bilingual } | undefined {
  switch (event.type) {
    case 'CaseReceived':
      return { step: 'received', title: { en: 'Case received', es: 'Caso recibido' } };
    case 'CaseReviewStarted':
      return { step: 'in_review', title: { en: 'Review started', es: 'Revisión iniciada' } };
    case 'AppointmentScheduled':
      return {
        step: 'received',
        title:
          event.data.kind === 'biometrics'
            ? { en: 'Biometrics appointment scheduled', es: 'Cita de datos biométricos programada' }
            : { en: 'Interview scheduled', es: 'Entrevista programada' },
      };
    case 'AppointmentRescheduled':
      return { step: 'received', title: { en: 'Appointment rescheduled', es: 'Cita reprogramada' } };
    case 'AppointmentAttended':
      return { step: 'in_review', title: { en: 'Appointment attended', es: 'Asistió a la cita' } };
    case 'AppointmentMissed':
      return { step: 'received', title: { en: 'Appointment missed', es: 'No asistió a la cita' } };
    case 'EvidenceRequested':
      return { step: 'evidence', title: { en: 'Evidence requested', es: 'Se pidieron más pruebas' } };
    case 'EvidenceReceived':
      return { step: 'in_review', title: { en: 'Evidence received', es: 'Pruebas recibidas' } };
    case 'CaseTransferred':
      return { step: 'in_review', title: { en: 'Case moved to another office', es: 'Caso trasladado a otra oficina' } };
    case 'DecisionIssued':
      return { step: 'decided', title: DECISION_TITLES[event.data.outcome] ?? { en: 'Decision issued', es: 'Decisión emitida' } };
    case 'CaseReopened':
      return { step: 'in_review', title: { en: 'Case reopened', es: 'Caso reabierto' } };
    case 'DocumentProduced':
      return { step: 'documents', title: { en: 'Notice or document produced', es: 'Aviso o documento preparado' } };
    case 'DocumentMailed':
      return { step: 'documents', title: { en: 'Notice or document mailed', es: 'Aviso o documento enviado por correo' } };
    case 'CaseClosed':
      return { step: 'closed', title: { en: 'Case closed', es: 'Caso cerrado' } };
    case 'AccessCodeIssued':
    case 'RepresentativeAppointed':
    case 'RepresentativeWithdrawn':
      // Not steps of the case; the public timeline says neither that a code was sent nor who represents the applicant.
      return undefined;
    default:
      event satisfies never;
      return undefined;
  }
}
