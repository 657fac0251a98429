import type { Language } from '@case-status/case-domain';
import type { AccessGrant, AppointmentKind } from '../api/operations.generated';

type Reader = { grant: AccessGrant; byYou: boolean; representativeName?: string | null; caseworkerAgency?: string | null; helperEmailHint?: string | null };

/** The texts of "My cases", in both languages. */
export const MY_CASES_MESSAGES = {
  en: {
    title: 'My cases',
    none: 'No cases are linked to your account yet.',
    intro: 'Cases you link to your account show here with their private details: appointments and what the agency asked you to send.',
    linkHeading: 'Link a case',
    linkIntro: 'Enter the receipt number and the online access code printed on your receipt notice. Ask the agency for a new code if you lost it.',
    receiptLabel: 'Receipt number',
    receiptHint: 'For example IOE0912345678 or VBA-2026-0001234.',
    codeLabel: 'Online access code',
    codeHint: '12 letters and digits, for example K7QM-4TXR-9HPA.',
    codeMissing: 'Enter the online access code from your receipt notice: 12 letters and digits, for example K7QM-4TXR-9HPA.',
    codeFormat: 'An online access code has 12 letters and digits, for example K7QM-4TXR-9HPA. Check it against your receipt notice.',
    submit: 'Link case',
    errorHeading: 'The case was not linked',
    notAccepted: 'That receipt number and access code do not match a case we can link. Check both against your receipt notice. If the agency sent you a newer code, use that one.',
    alreadyUsed: 'This access code has already been used to link the case to another account. A code links one account. If that was not you, contact the agency for a new code.',
    tooMany: (minutes: number) => `Too many codes did not match. For your security, try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    linked: (receipt: string) => `Case ${receipt} is linked to your account.`,
    status: 'Status',
    form: 'Form',
    agency: 'Agency',
    linkedOn: 'Linked',
    details: 'Your private details',
    appointments: 'Upcoming appointments',
    noAppointments: 'No upcoming appointments.',
    appointmentKind: { BIOMETRICS: 'Biometrics appointment', INTERVIEW: 'Interview' } satisfies Record<AppointmentKind, string>,
    at: 'at office',
    evidence: 'Evidence the agency asked for',
    noEvidence: 'No open evidence requests.',
    evidenceDue: (requestId: string, due: string) => `Request ${requestId}: due ${due}`,
    notShownYet: 'This case is linked. Its status will show here in a moment.',
    viewPublic: 'Public status page',
    survey: 'Tell us how it went: answer the survey about this case',
    unlink: 'Unlink this case',
    unlinkHint: 'It leaves My cases. To link it again, you will need its online access code.',
    unlinked: (receipt: string) => `Case ${receipt} is no longer linked to your account.`,
    accessHeading: 'Who read these details',
    accessIntro: 'Every time someone reads this case’s private details, we record who, when and what, and show it here (the latest 20).',
    noAccess: 'Nobody has read them yet.',
    reader: ({ grant, byYou, representativeName, caseworkerAgency, helperEmailHint }: Reader) =>
      byYou
        ? 'You'
        : grant === 'REPRESENTATIVE'
          ? `${representativeName ?? 'A representative'}, your representative of record`
          : grant === 'CASEWORKER'
            ? `A ${caseworkerAgency ?? ''} caseworker`
            : grant === 'HELPER'
              ? `${helperEmailHint ?? 'Someone'}, a helper you invited`
              : 'Another account that linked this case with its access code',
    fieldNames: { statusText: 'status details', upcomingAppointments: 'appointments', openEvidenceRequests: 'evidence requests' } as Record<string, string>,
  },
  es: {
    title: 'Mis casos',
    none: 'Todavía no hay casos vinculados a su cuenta.',
    intro: 'Los casos que vincule a su cuenta aparecen aquí con sus detalles privados: citas y lo que la agencia le pidió enviar.',
    linkHeading: 'Vincular un caso',
    linkIntro: 'Escriba el número de recibo y el código de acceso en línea impresos en su aviso de recibo. Si lo perdió, pida un código nuevo a la agencia.',
    receiptLabel: 'Número de recibo',
    receiptHint: 'Por ejemplo IOE0912345678 o VBA-2026-0001234.',
    codeLabel: 'Código de acceso en línea',
    codeHint: '12 letras y dígitos, por ejemplo K7QM-4TXR-9HPA.',
    codeMissing: 'Escriba el código de acceso en línea de su aviso de recibo: 12 letras y dígitos, por ejemplo K7QM-4TXR-9HPA.',
    codeFormat: 'Un código de acceso en línea tiene 12 letras y dígitos, por ejemplo K7QM-4TXR-9HPA. Compárelo con su aviso de recibo.',
    submit: 'Vincular caso',
    errorHeading: 'No se vinculó el caso',
    notAccepted: 'Ese número de recibo y ese código de acceso no corresponden a un caso que podamos vincular. Compare ambos con su aviso de recibo. Si la agencia le envió un código más reciente, use ese.',
    alreadyUsed: 'Este código de acceso ya se usó para vincular el caso a otra cuenta. Un código vincula una sola cuenta. Si no fue usted, pida un código nuevo a la agencia.',
    tooMany: (minutes: number) => `Demasiados códigos no coincidieron. Por su seguridad, vuelva a intentarlo en ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    linked: (receipt: string) => `El caso ${receipt} está vinculado a su cuenta.`,
    status: 'Estado',
    form: 'Formulario',
    agency: 'Agencia',
    linkedOn: 'Vinculado',
    details: 'Sus detalles privados',
    appointments: 'Próximas citas',
    noAppointments: 'No hay citas próximas.',
    appointmentKind: { BIOMETRICS: 'Cita de datos biométricos', INTERVIEW: 'Entrevista' } satisfies Record<AppointmentKind, string>,
    at: 'en la oficina',
    evidence: 'Pruebas que pidió la agencia',
    noEvidence: 'No hay pedidos de pruebas abiertos.',
    evidenceDue: (requestId: string, due: string) => `Pedido ${requestId}: vence el ${due}`,
    notShownYet: 'Este caso está vinculado. Su estado aparecerá aquí en un momento.',
    viewPublic: 'Página pública del estado',
    survey: 'Cuéntenos cómo le fue: responda la encuesta sobre este caso',
    unlink: 'Desvincular este caso',
    unlinkHint: 'Saldrá de Mis casos. Para vincularlo de nuevo necesitará su código de acceso en línea.',
    unlinked: (receipt: string) => `El caso ${receipt} ya no está vinculado a su cuenta.`,
    accessHeading: 'Quién leyó estos detalles',
    accessIntro: 'Cada vez que alguien lee los detalles privados de este caso, registramos quién, cuándo y qué, y lo mostramos aquí (los 20 más recientes).',
    noAccess: 'Nadie los ha leído todavía.',
    reader: ({ grant, byYou, representativeName, caseworkerAgency, helperEmailHint }: Reader) =>
      byYou
        ? 'Usted'
        : grant === 'REPRESENTATIVE'
          ? `${representativeName ?? 'Un representante'}, su representante registrado`
          : grant === 'CASEWORKER'
            ? `Un empleado de ${caseworkerAgency ?? ''}`
            : grant === 'HELPER'
              ? `${helperEmailHint ?? 'Alguien'}, una persona que usted invitó`
              : 'Otra cuenta que vinculó este caso con su código de acceso',
    fieldNames: { statusText: 'detalles del estado', upcomingAppointments: 'citas', openEvidenceRequests: 'pedidos de pruebas' } as Record<string, string>,
  },
} satisfies Record<Language, unknown>;
