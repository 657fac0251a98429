import type { Language } from '@case-status/case-domain';
import type { RepresentativeKind } from '../api/operations.generated';

/** The texts of "My clients", in both languages. */
export const MY_CLIENTS_MESSAGES = {
  en: {
    title: 'My clients',
    intro: 'Cases on which an agency has you as the applicant’s representative of record show here with their private details. When the agency records that you withdrew, the case no longer shows.',
    none: 'No agency has you as a representative of record on a case today. Cases show here once the agency records your appointment (Form G-28 or its equivalent) with the address or sign-in you use here.',
    details: 'Your client’s private details',
    notShownYet: 'Its status will show here in a moment.',
    ofRecordAs: { ATTORNEY: 'Attorney of record', ACCREDITED_REPRESENTATIVE: 'Accredited representative of record' } satisfies Record<RepresentativeKind, string>,
    since: (date: string) => `since ${date}`,
  },
  es: {
    title: 'Mis clientes',
    intro: 'Aquí aparecen, con sus detalles privados, los casos en los que una agencia lo tiene como representante registrado del solicitante. Cuando la agencia registra que usted se retiró, el caso deja de aparecer.',
    none: 'Hoy ninguna agencia lo tiene como representante registrado en un caso. Los casos aparecen aquí cuando la agencia registra su nombramiento (el Formulario G-28 o su equivalente) con la dirección o la cuenta que usa aquí.',
    details: 'Detalles privados de su cliente',
    notShownYet: 'Su estado aparecerá aquí en un momento.',
    ofRecordAs: { ATTORNEY: 'Abogado registrado', ACCREDITED_REPRESENTATIVE: 'Representante acreditado registrado' } satisfies Record<RepresentativeKind, string>,
    since: (date: string) => `desde el ${date}`,
  },
} satisfies Record<Language, unknown>;
