import type { Language } from '@case-status/case-domain';

/**
 * The sign-in pages' words in English and Spanish. The Spanish dictionary has the English
 * one's type, so a missing text is a compile error.
 */

const en = {
  account: {
    title: 'Your account',
    signedInAs: 'You are signed in as',
    name: 'Name',
    email: 'Email',
    assurance: 'Identity verification',
    level: (level: 0 | 1 | 2): string =>
      level === 2 ? 'Verified: your identity provider checked who you are (IAL2).' : level === 1 ? 'Not verified: your identity provider knows your account, not who you are (IAL1).' : 'Unknown: your identity provider did not say how it checked who you are.',
    staff: 'Staff',
    staffOf: (roles: string, agency: string) => `${roles} at ${agency}`,
    myCases: 'My cases',
    myClients: 'My clients (representatives)',
    sharedWithMe: 'Shared with me',
  },
  needsLevel: {
    title: 'This page needs a verified identity',
    body: 'Your case details are private. To see them, your identity provider must have verified who you are (IAL2). Your account is not verified to that level.',
    verify: 'Sign in again with a verified identity',
  },
  sessionEnded: {
    title: 'You were signed out',
    idle: 'You were signed out after 15 minutes without activity, to protect your information.',
    absolute: 'You were signed out because you signed in more than 12 hours ago, to protect your information.',
    signInAgain: 'Sign in again',
  },
  signInFailed: {
    title: 'Sign-in did not complete',
    expired: 'This sign-in has expired or was started in another browser or tab. Start again from this site.',
    refused: 'The sign-in was cancelled or refused by your identity provider.',
    rejected: 'We could not confirm this sign-in with your identity provider. Start again from this site.',
    unavailable: 'The identity provider cannot be reached right now. Please try again in a few minutes.',
    tryAgain: 'Try signing in again',
  },
  csrf: {
    title: 'That did not work',
    body: 'This form was too old or did not come from this site, so nothing was done. Go back, reload the page and try again.',
  },
  signedOut: {
    title: 'You are signed out',
    body: 'You are signed out of this site and of your identity provider.',
  },
};

export type IdentityMessages = typeof en;

const es: IdentityMessages = {
  account: {
    title: 'Su cuenta',
    signedInAs: 'Inició sesión como',
    name: 'Nombre',
    email: 'Correo electrónico',
    assurance: 'Verificación de identidad',
    level: (level: 0 | 1 | 2): string =>
      level === 2
        ? 'Verificada: su proveedor de identidad comprobó quién es usted (IAL2).'
        : level === 1
          ? 'No verificada: su proveedor de identidad conoce su cuenta, no quién es usted (IAL1).'
          : 'Desconocida: su proveedor de identidad no dijo cómo comprobó quién es usted.',
    staff: 'Personal',
    staffOf: (roles: string, agency: string) => `${roles} en ${agency}`,
    myCases: 'Mis casos',
    myClients: 'Mis clientes (representantes)',
    sharedWithMe: 'Compartidos conmigo',
  },
  needsLevel: {
    title: 'Esta página requiere una identidad verificada',
    body: 'Los detalles de su caso son privados. Para verlos, su proveedor de identidad debe haber verificado quién es usted (IAL2). Su cuenta no está verificada a ese nivel.',
    verify: 'Iniciar sesión de nuevo con una identidad verificada',
  },
  sessionEnded: {
    title: 'Se cerró su sesión',
    idle: 'Se cerró su sesión después de 15 minutos sin actividad, para proteger su información.',
    absolute: 'Se cerró su sesión porque inició sesión hace más de 12 horas, para proteger su información.',
    signInAgain: 'Iniciar sesión de nuevo',
  },
  signInFailed: {
    title: 'No se completó el inicio de sesión',
    expired: 'Este inicio de sesión venció o se empezó en otro navegador o pestaña. Empiece de nuevo desde este sitio.',
    refused: 'Su proveedor de identidad canceló o rechazó el inicio de sesión.',
    rejected: 'No pudimos confirmar este inicio de sesión con su proveedor de identidad. Empiece de nuevo desde este sitio.',
    unavailable: 'No se puede contactar al proveedor de identidad en este momento. Vuelva a intentarlo en unos minutos.',
    tryAgain: 'Intentar iniciar sesión de nuevo',
  },
  csrf: {
    title: 'Eso no funcionó',
    body: 'Este formulario era demasiado antiguo o no venía de este sitio, así que no se hizo nada. Vuelva atrás, recargue la página e inténtelo de nuevo.',
  },
  signedOut: {
    title: 'Cerró su sesión',
    body: 'Cerró su sesión en este sitio y en su proveedor de identidad.',
  },
};

export const IDENTITY_MESSAGES: Readonly<Record<Language, IdentityMessages>> = { en, es };
