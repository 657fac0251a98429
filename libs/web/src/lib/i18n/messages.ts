import type { Language } from '@case-status/case-domain';
import type { ReceiptProblem } from '../receipt-number';

/**
 * Every word the site shows, in English and Spanish. The Spanish dictionary has the type of
 * the English one, so a missing text is a compile error; a unit test checks the same at run
 * time and that no text is empty. Case texts (status, next step, history) come from the
 * status API in both languages and are not repeated here.
 */

const uscisOffices = (known: readonly string[]) => known.join(', ');

const en = {
  languageName: 'English',
  siteName: 'Case status',
  skipToContent: 'Skip to main content',
  banner: {
    label: 'Official website of the United States government',
    official: 'An official website of the United States government',
    howYouKnow: 'Here’s how you know',
    dotGovHeading: 'Official websites use .gov',
    dotGovText: 'A .gov website belongs to an official government organization in the United States.',
    httpsHeading: 'Secure .gov websites use HTTPS',
    httpsBefore: 'A lock',
    httpsAfter: 'or https:// means you’ve safely connected to the .gov website. Share sensitive information only on official, secure websites.',
    lockTitle: 'Lock',
    lockDescription: 'Locked padlock icon',
  },
  nav: {
    label: 'Primary navigation',
    checkCase: 'Check a case',
    processingTimes: 'Processing times',
    feedbackResults: 'Customer feedback',
    signIn: 'Sign in',
    account: 'Your account',
    signOut: 'Sign out',
    menu: 'Menu',
    close: 'Close',
  },
  languageSwitch: { label: 'Language', switchTo: 'Ver esta página en español' },
  footer: {
    about: 'This site shows where a case stands, from the agency’s own records. It asks for no personal information except an email address, and only if you want updates.',
    returnToTop: 'Return to top',
  },
  lookup: {
    title: 'Check your case status',
    intro: 'Enter the receipt number from the notice the agency mailed you. It is usually near the top of the notice.',
    label: 'Receipt number',
    hint: 'For example IOE0912345678 (USCIS) or VBA-2026-0001234 (VBA). Spaces and lower case letters are fine.',
    submit: 'Check status',
    errorHeading: 'Check the receipt number',
  },
  receiptProblem: (problem: ReceiptProblem): string => {
    switch (problem.kind) {
      case 'empty':
        return 'Enter your receipt number. It is on the notice the agency mailed you, for example IOE0912345678 or VBA-2026-0001234.';
      case 'character':
        return `A receipt number has only letters, digits and dashes. Remove “${problem.character}”.`;
      case 'uscis_office':
        return `A USCIS receipt number starts with the code of the office that received the case. “${problem.prefix}” is not one of them: ${uscisOffices(problem.known)}. Check the first three letters.`;
      case 'uscis_not_digit':
        return `After the 3 letters, a USCIS receipt number has only digits. Character ${problem.position}, “${problem.character}”, is not a digit${notDigitHintEn(problem.character)}.`;
      case 'uscis_digit_count':
        return `A USCIS receipt number has 3 letters and then 10 digits. You entered ${problem.digits} ${problem.digits === 1 ? 'digit' : 'digits'} after the letters: check for a missing or extra digit.`;
      case 'uscis_missing_letters':
        return `A USCIS receipt number starts with 3 letters, such as IOE, before its 10 digits. You entered only ${problem.digits} digits.`;
      case 'vba_year':
        return `A VBA claim number looks like VBA-2026-0001234: “VBA”, the 4-digit year the claim was filed, then a 7-digit number. “${problem.year}” is not a year.`;
      case 'vba_number':
        return `A VBA claim number ends with 7 digits after the year, as in VBA-2026-0001234. You entered “${problem.number}”.`;
      case 'unrecognized':
        return 'This does not look like a receipt number. USCIS receipt numbers have 3 letters and 10 digits (IOE0912345678); VBA claim numbers look like VBA-2026-0001234.';
    }
  },
  notFound: {
    title: 'We could not find that case',
    body: (receipt: string) => `No case with receipt number ${receipt} is known here. Check the number on your notice. If the agency received your case in the last few minutes, it may not show yet: try again later.`,
  },
  pageNotFound: { title: 'Page not found', body: 'There is no page at this address. Check it, or start from the case status lookup.' },
  serviceError: {
    title: 'Something went wrong on our side',
    body: 'We could not get the information right now. Please try again in a few minutes.',
    tooMany: (minutes: number) => `Too many requests came from your connection. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
  },
  casePage: {
    title: (receipt: string) => `Case ${receipt}`,
    summary: (form: string, agency: string, office: string) => `Form ${form} · ${agency} · ${office}`,
    currentStatus: 'Current status',
    nextStep: 'What happens next',
    stepsLabel: 'Where your case is',
    steps: { received: 'Received', in_review: 'In review', decided: 'Decision', documents: 'Documents mailed' },
    stepWord: 'Step',
    ofTotal: (total: number) => `of ${total}`,
    evidenceStep: 'In review: evidence requested',
    closedStep: 'Case closed',
    completed: 'completed',
    notCompleted: 'not completed',
    historyHeading: 'Case history',
    historyEmpty: 'No history yet.',
    lastChanged: (when: string) => `Status last changed ${when}.`,
    pageChecked: (when: string) => `Page checked ${when}.`,
    liveNote: 'This page updates itself when the status changes.',
    statusChanged: (text: string) => `Your case status changed: ${text}`,
    getUpdates: 'Get email updates about this case',
    processingTimesLink: (form: string, office: string) => `How long Form ${form} takes at the ${office}`,
  },
  estimate: {
    heading: 'When to expect a decision',
    likelyBy: (date: string) => `Likely by ${date}`,
    probablyBy: (percent: number, date: string) => `${percent} in 100 by ${date}`,
    /** `paceWeeks` when the date was read on the queue clock (how far along the line), null for days waited. */
    dateExplained: (percent: number, date: string, paceWeeks: number | null, pooled: boolean) => {
      const like = pooled ? 'Of the cases like yours (same form, every office of the agency)' : 'Of the cases like yours (same form, same office)';
      return paceWeeks === null
        ? `${like} that had waited as long as yours, ${percent} in 100 were decided by ${date}.`
        : `${like} that were as far along in the line as yours, ${percent} in 100 are decided by ${date} at the pace of the last ${paceWeeks} weeks.`;
    },
    basedOn: (cases: number) => `Based on ${cases} ${cases === 1 ? 'case' : 'cases'} still waiting at that point.`,
    honesty: 'This is an estimate from past cases, not a promise. It changes as cases are decided.',
    none: 'We cannot give a reliable date for this case right now.',
    inquiry: 'Ask the agency about your case',
    decided: 'Your case has a decision, so there is nothing left to estimate.',
  },
  feedback: {
    heading: 'Tell us how we did',
    body: 'Your case has a decision. A short survey (2 minutes, anonymous) helps us improve the service.',
    link: 'Take the survey',
  },
  subscribe: {
    title: 'Get email updates',
    intro: (receipt: string) => `We will email you when the status of case ${receipt} changes. First we email you a code to confirm the address is yours.`,
    emailLabel: 'Email address',
    emailHint: 'Used only for updates about this case. Every email has a link to stop them.',
    languageLegend: 'Language of the emails',
    submit: 'Send confirmation code',
    errorHeading: 'Check the form',
    emailEmpty: 'Enter your email address.',
    emailInvalid: 'Enter an email address in the format name@example.com.',
    checkEmailTitle: 'Check your email',
    checkEmailBody:
      'If this address can get updates for this case, we sent it a 6-digit code and a confirmation link; if it already gets them, there is nothing more to do. The email can take a few minutes to arrive; check your spam folder too. The code and the link work for 48 hours.',
    codeLabel: 'Confirmation code',
    codeHint: 'The 6 digits in the email.',
    codeSubmit: 'Confirm',
    codeEmpty: 'Enter the 6-digit code from the email.',
    codeInvalid: 'That is not the code we sent. Check the email and enter its 6 digits.',
    tooManyAttempts: 'Too many wrong codes. Ask for a new code by subscribing again.',
    confirmedTitle: 'You will get email updates',
    confirmedBody: (receipt: string) => `We will email you when the status of case ${receipt} changes.`,
    backToCase: 'Back to the case',
    unavailable: 'Email updates are not available right now. Please try again later.',
  },
  confirm: {
    title: 'Confirm email updates',
    body: 'Select the button to start getting emails when the case status changes.',
    button: 'Confirm email updates',
    missingToken: 'This link is incomplete. Open the link from the email again, or copy all of it into your browser.',
    invalidToken: 'This link does not work anymore: it may have been replaced by a newer one. Open the link in the most recent email, or subscribe again.',
    expiredToken: 'This link has expired: links work for 48 hours. Subscribe again to get a new one.',
  },
  unsubscribe: {
    title: 'Stop email updates',
    body: 'Select the button to stop the emails about this case. We will erase your email address.',
    button: 'Stop email updates',
    doneTitle: 'You will get no more emails',
    doneBody: (receipt: string) => `We stopped the email updates about case ${receipt} and erased your email address.`,
    alreadyDone: (receipt: string) => `The email updates about case ${receipt} had already been stopped.`,
    invalidToken: 'This link does not work. The updates may already have been stopped.',
  },
  processingTimes: {
    title: 'Processing times',
    intro: 'How long cases took, from the day the agency received them to the decision. The figures cover the cases decided in the last 6 months.',
    formLabel: 'Form',
    formHint: 'Choose the form on your receipt notice.',
    submit: 'Show processing times',
    caption: (form: string, formName: string, agency: string) => `Form ${form} (${formName}), ${agency}: days from receipt to decision`,
    office: 'Office',
    median: 'Half decided within',
    p80: '8 in 10 decided within',
    p93: '93 in 100 decided within',
    decided: 'Cases decided',
    pending: 'Still waiting',
    days: (days: number) => `${days} ${days === 1 ? 'day' : 'days'}`,
    noDecisions: 'No decisions yet',
    dashMeans: '— : no case of this form was decided at this office in the last 6 months.',
    noCases: (offices: string) => `No cases of this form in the last 6 months at: ${offices}.`,
    window: (start: string, end: string) => `Cases decided from ${start} to ${end}.`,
    explainHeading: 'How to read these figures',
    explainMedian: '“Half decided within 120 days” means half of the decided cases took 120 days or less, and half took longer.',
    explainPercentiles: '“8 in 10 decided within 200 days” means 80 of every 100 decided cases took 200 days or less. The other 20 took longer.',
    explainPending: 'The figures count only cases that have a decision. Cases still waiting are left out, so when an office is falling behind, the real wait is longer than these figures.',
    explainFew: 'With few decided cases, one unusual case moves the figures a lot: look at the number of cases decided.',
    chooseForm: 'Choose a form to see how long it takes at each office.',
    accuracy: {
      heading: 'How often our dates came true',
      intro:
        'Every day we keep the dates we gave for a sample of the cases waiting at each office (up to 20 per office). When those cases are decided, we check the dates against the decisions. This is what we found, by the month the dates were given.',
      none: 'No dates have been checked for this form yet.',
      caption: (form: string) => `Form ${form}: how often the dates we gave came true, beside the dates the usual published figures would give`,
      month: 'Month the dates were given',
      served: 'Cases checked',
      noDate: 'Given no date',
      cameTrue: 'Our “8 in 10” dates that came true',
      medianError: 'Our “likely by” date, typical miss',
      publishedCameTrue: 'Published-figure dates that came true',
      publishedMedianError: 'Published-figure median, typical miss',
      shareOf: (percent: number, of: number) => `${percent}% (of ${of})`,
      tooFew: 'Too few cases to show',
      scoredThrough: (date: string) => `Decisions counted through ${date}. Dates still to come are not counted yet.`,
      download: 'Download these figures (CSV)',
      explainHeading: 'How to read this table',
      explainCameTrue:
        '“Our 8 in 10 dates that came true: 78% (of 230)” means that of 230 dates that have passed, 78% of the cases were decided on or before their date. A case still waiting on its date counts as a miss. If our dates are honest, this is close to 80%.',
      explainPublished:
        'The published-figure dates are what the usual figures would have told the same people: the receipt date plus the time in which 8 in 10 (or half) of recently decided cases were decided.',
      explainError: 'The typical miss is the median number of days between the “likely by” date and the decision, for the cases decided so far.',
      explainFew: 'A share or a typical miss that would rest on fewer than 20 cases is not shown (—); the number of cases still is.',
    },
  },
  dates: { locale: 'en-US' },
};

export type Messages = typeof en;

function notDigitHintEn(character: string): string {
  if (character === 'O') return ' (is it a zero, 0?)';
  if (character === 'I' || character === 'L') return ' (is it a one, 1?)';
  return '';
}

function notDigitHintEs(character: string): string {
  if (character === 'O') return ' (¿es un cero, 0?)';
  if (character === 'I' || character === 'L') return ' (¿es un uno, 1?)';
  return '';
}

const es: Messages = {
  languageName: 'Español',
  siteName: 'Estado de su caso',
  skipToContent: 'Saltar al contenido principal',
  banner: {
    label: 'Sitio web oficial del Gobierno de Estados Unidos',
    official: 'Un sitio oficial del Gobierno de Estados Unidos',
    howYouKnow: 'Así es como usted puede verificarlo',
    dotGovHeading: 'Los sitios web oficiales usan .gov',
    dotGovText: 'Un sitio web .gov pertenece a una organización oficial del Gobierno de Estados Unidos.',
    httpsHeading: 'Los sitios web seguros .gov usan HTTPS',
    httpsBefore: 'Un candado',
    httpsAfter: 'o https:// significa que usted se conectó de forma segura a un sitio web .gov. Comparta información sensible sólo en sitios web oficiales y seguros.',
    lockTitle: 'Candado',
    lockDescription: 'Ícono de un candado cerrado',
  },
  nav: {
    label: 'Navegación principal',
    checkCase: 'Consultar un caso',
    processingTimes: 'Tiempos de trámite',
    feedbackResults: 'Opiniones del público',
    signIn: 'Iniciar sesión',
    account: 'Su cuenta',
    signOut: 'Cerrar sesión',
    menu: 'Menú',
    close: 'Cerrar',
  },
  languageSwitch: { label: 'Idioma', switchTo: 'View this page in English' },
  footer: {
    about: 'Este sitio muestra en qué punto está un caso, según los registros de la propia agencia. No pide datos personales, salvo un correo electrónico y solo si usted quiere recibir avisos.',
    returnToTop: 'Volver arriba',
  },
  lookup: {
    title: 'Consulte el estado de su caso',
    intro: 'Escriba el número de recibo del aviso que le envió la agencia por correo. Suele estar en la parte de arriba del aviso.',
    label: 'Número de recibo',
    hint: 'Por ejemplo IOE0912345678 (USCIS) o VBA-2026-0001234 (VBA). Puede usar espacios y minúsculas.',
    submit: 'Consultar estado',
    errorHeading: 'Revise el número de recibo',
  },
  receiptProblem: (problem: ReceiptProblem): string => {
    switch (problem.kind) {
      case 'empty':
        return 'Escriba su número de recibo. Está en el aviso que le envió la agencia, por ejemplo IOE0912345678 o VBA-2026-0001234.';
      case 'character':
        return `Un número de recibo solo tiene letras, dígitos y guiones. Quite «${problem.character}».`;
      case 'uscis_office':
        return `Un número de recibo de USCIS empieza con el código de la oficina que recibió el caso. «${problem.prefix}» no es uno de ellos: ${uscisOffices(problem.known)}. Revise las tres primeras letras.`;
      case 'uscis_not_digit':
        return `Después de las 3 letras, un número de recibo de USCIS solo tiene dígitos. El carácter ${problem.position}, «${problem.character}», no es un dígito${notDigitHintEs(problem.character)}.`;
      case 'uscis_digit_count':
        return `Un número de recibo de USCIS tiene 3 letras y luego 10 dígitos. Usted escribió ${problem.digits} ${problem.digits === 1 ? 'dígito' : 'dígitos'} después de las letras: revise si falta o sobra alguno.`;
      case 'uscis_missing_letters':
        return `Un número de recibo de USCIS empieza con 3 letras, como IOE, antes de sus 10 dígitos. Usted escribió solo ${problem.digits} dígitos.`;
      case 'vba_year':
        return `Un número de reclamo de la VBA tiene esta forma: VBA-2026-0001234 («VBA», el año de 4 dígitos en que se presentó el reclamo y luego un número de 7 dígitos). «${problem.year}» no es un año.`;
      case 'vba_number':
        return `Un número de reclamo de la VBA termina con 7 dígitos después del año, como en VBA-2026-0001234. Usted escribió «${problem.number}».`;
      case 'unrecognized':
        return 'Esto no parece un número de recibo. Los números de recibo de USCIS tienen 3 letras y 10 dígitos (IOE0912345678); los números de reclamo de la VBA tienen esta forma: VBA-2026-0001234.';
    }
  },
  notFound: {
    title: 'No encontramos ese caso',
    body: (receipt: string) => `No conocemos ningún caso con el número de recibo ${receipt}. Revise el número en su aviso. Si la agencia recibió su caso hace pocos minutos, es posible que todavía no aparezca: vuelva a intentarlo más tarde.`,
  },
  pageNotFound: { title: 'Página no encontrada', body: 'No hay ninguna página en esta dirección. Revísela o empiece desde la consulta del estado de un caso.' },
  serviceError: {
    title: 'Algo salió mal de nuestro lado',
    body: 'No pudimos obtener la información en este momento. Vuelva a intentarlo en unos minutos.',
    tooMany: (minutes: number) => `Llegaron demasiadas solicitudes desde su conexión. Vuelva a intentarlo en ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
  },
  casePage: {
    title: (receipt: string) => `Caso ${receipt}`,
    summary: (form: string, agency: string, office: string) => `Formulario ${form} · ${agency} · ${office}`,
    currentStatus: 'Estado actual',
    nextStep: 'Qué pasa ahora',
    stepsLabel: 'En qué punto está su caso',
    steps: { received: 'Recibido', in_review: 'En revisión', decided: 'Decisión', documents: 'Documentos enviados' },
    stepWord: 'Paso',
    ofTotal: (total: number) => `de ${total}`,
    evidenceStep: 'En revisión: se pidieron pruebas',
    closedStep: 'Caso cerrado',
    completed: 'completado',
    notCompleted: 'no completado',
    historyHeading: 'Historial del caso',
    historyEmpty: 'Todavía no hay historial.',
    lastChanged: (when: string) => `El estado cambió por última vez el ${when}.`,
    pageChecked: (when: string) => `Página consultada el ${when}.`,
    liveNote: 'Esta página se actualiza sola cuando cambia el estado.',
    statusChanged: (text: string) => `El estado de su caso cambió: ${text}`,
    getUpdates: 'Reciba avisos por correo electrónico sobre este caso',
    processingTimesLink: (form: string, office: string) => `Cuánto tarda el Formulario ${form} en ${office}`,
  },
  estimate: {
    heading: 'Cuándo esperar una decisión',
    likelyBy: (date: string) => `Probablemente para el ${date}`,
    probablyBy: (percent: number, date: string) => `${percent} de cada 100 para el ${date}`,
    dateExplained: (percent: number, date: string, paceWeeks: number | null, pooled: boolean) => {
      const like = pooled ? 'De los casos como el suyo (mismo formulario, todas las oficinas de la agencia)' : 'De los casos como el suyo (mismo formulario, misma oficina)';
      return paceWeeks === null
        ? `${like} que habían esperado tanto como el suyo, ${percent} de cada 100 tuvieron una decisión para el ${date}.`
        : `${like} que estaban tan avanzados en la fila como el suyo, ${percent} de cada 100 tienen una decisión para el ${date} al ritmo de las últimas ${paceWeeks} semanas.`;
    },
    basedOn: (cases: number) => `Se basa en ${cases} ${cases === 1 ? 'caso que seguía' : 'casos que seguían'} esperando en ese momento.`,
    honesty: 'Es una estimación a partir de casos anteriores, no una promesa. Cambia a medida que se deciden casos.',
    none: 'En este momento no podemos darle una fecha confiable para este caso.',
    inquiry: 'Consulte a la agencia sobre su caso',
    decided: 'Su caso ya tiene una decisión, así que no queda nada por estimar.',
  },
  feedback: {
    heading: 'Díganos cómo lo hicimos',
    body: 'Su caso ya tiene una decisión. Una encuesta breve (2 minutos, anónima) nos ayuda a mejorar el servicio.',
    link: 'Responder la encuesta',
  },
  subscribe: {
    title: 'Reciba avisos por correo electrónico',
    intro: (receipt: string) => `Le enviaremos un correo cuando cambie el estado del caso ${receipt}. Primero le enviamos un código para confirmar que la dirección es suya.`,
    emailLabel: 'Correo electrónico',
    emailHint: 'Solo se usa para avisos sobre este caso. Cada correo tiene un enlace para dejar de recibirlos.',
    languageLegend: 'Idioma de los correos',
    submit: 'Enviar código de confirmación',
    errorHeading: 'Revise el formulario',
    emailEmpty: 'Escriba su correo electrónico.',
    emailInvalid: 'Escriba un correo electrónico con el formato nombre@ejemplo.com.',
    checkEmailTitle: 'Revise su correo electrónico',
    checkEmailBody:
      'Si esta dirección puede recibir avisos de este caso, le enviamos un código de 6 dígitos y un enlace de confirmación; si ya los recibe, no tiene que hacer nada más. El correo puede tardar unos minutos en llegar; revise también la carpeta de correo no deseado. El código y el enlace sirven durante 48 horas.',
    codeLabel: 'Código de confirmación',
    codeHint: 'Los 6 dígitos del correo.',
    codeSubmit: 'Confirmar',
    codeEmpty: 'Escriba el código de 6 dígitos del correo.',
    codeInvalid: 'Ese no es el código que enviamos. Revise el correo y escriba sus 6 dígitos.',
    tooManyAttempts: 'Demasiados códigos incorrectos. Pida un código nuevo suscribiéndose otra vez.',
    confirmedTitle: 'Recibirá avisos por correo electrónico',
    confirmedBody: (receipt: string) => `Le enviaremos un correo cuando cambie el estado del caso ${receipt}.`,
    backToCase: 'Volver al caso',
    unavailable: 'Los avisos por correo no están disponibles en este momento. Vuelva a intentarlo más tarde.',
  },
  confirm: {
    title: 'Confirme los avisos por correo',
    body: 'Seleccione el botón para empezar a recibir correos cuando cambie el estado del caso.',
    button: 'Confirmar los avisos por correo',
    missingToken: 'Este enlace está incompleto. Abra de nuevo el enlace del correo o cópielo completo en su navegador.',
    invalidToken: 'Este enlace ya no sirve: puede que se haya reemplazado por uno más reciente. Abra el enlace del correo más reciente o suscríbase otra vez.',
    expiredToken: 'Este enlace venció: los enlaces sirven durante 48 horas. Suscríbase otra vez para recibir uno nuevo.',
  },
  unsubscribe: {
    title: 'Dejar de recibir avisos',
    body: 'Seleccione el botón para dejar de recibir correos sobre este caso. Borraremos su correo electrónico.',
    button: 'Dejar de recibir avisos',
    doneTitle: 'No recibirá más correos',
    doneBody: (receipt: string) => `Dejamos de enviarle avisos sobre el caso ${receipt} y borramos su correo electrónico.`,
    alreadyDone: (receipt: string) => `Los avisos por correo sobre el caso ${receipt} ya se habían detenido.`,
    invalidToken: 'Este enlace no sirve. Es posible que los avisos ya se hayan detenido.',
  },
  processingTimes: {
    title: 'Tiempos de trámite',
    intro: 'Cuánto tardaron los casos, desde el día en que la agencia los recibió hasta la decisión. Las cifras son de los casos decididos en los últimos 6 meses.',
    formLabel: 'Formulario',
    formHint: 'Elija el formulario de su aviso de recibo.',
    submit: 'Ver tiempos de trámite',
    caption: (form: string, formName: string, agency: string) => `Formulario ${form} (${formName}), ${agency}: días desde el recibo hasta la decisión`,
    office: 'Oficina',
    median: 'La mitad se decidió en',
    p80: '8 de cada 10 se decidieron en',
    p93: '93 de cada 100 se decidieron en',
    decided: 'Casos decididos',
    pending: 'Siguen esperando',
    days: (days: number) => `${days} ${days === 1 ? 'día' : 'días'}`,
    noDecisions: 'Todavía no hay decisiones',
    dashMeans: '— : ningún caso de este formulario se decidió en esta oficina en los últimos 6 meses.',
    noCases: (offices: string) => `Ningún caso de este formulario en los últimos 6 meses en: ${offices}.`,
    window: (start: string, end: string) => `Casos decididos del ${start} al ${end}.`,
    explainHeading: 'Cómo leer estas cifras',
    explainMedian: '«La mitad se decidió en 120 días» significa que la mitad de los casos decididos tardó 120 días o menos, y la otra mitad tardó más.',
    explainPercentiles: '«8 de cada 10 se decidieron en 200 días» significa que 80 de cada 100 casos decididos tardaron 200 días o menos. Los otros 20 tardaron más.',
    explainPending: 'Las cifras cuentan solo los casos que ya tienen una decisión. Los que siguen esperando no se cuentan, así que cuando una oficina se atrasa, la espera real es más larga que estas cifras.',
    explainFew: 'Con pocos casos decididos, un solo caso poco común mueve mucho las cifras: fíjese en el número de casos decididos.',
    chooseForm: 'Elija un formulario para ver cuánto tarda en cada oficina.',
    accuracy: {
      heading: 'Con qué frecuencia se cumplieron nuestras fechas',
      intro:
        'Cada día guardamos las fechas que dimos para una muestra de los casos que esperan en cada oficina (hasta 20 por oficina). Cuando esos casos se deciden, comparamos las fechas con las decisiones. Esto es lo que encontramos, según el mes en que se dieron las fechas.',
      none: 'Todavía no se ha comprobado ninguna fecha de este formulario.',
      caption: (form: string) => `Formulario ${form}: con qué frecuencia se cumplieron las fechas que dimos, junto a las que darían las cifras publicadas de siempre`,
      month: 'Mes en que se dieron las fechas',
      served: 'Casos comprobados',
      noDate: 'Sin fecha',
      cameTrue: 'Nuestras fechas «8 de cada 10» que se cumplieron',
      medianError: 'Nuestra fecha «probable», error típico',
      publishedCameTrue: 'Fechas de las cifras publicadas que se cumplieron',
      publishedMedianError: 'Mediana publicada, error típico',
      shareOf: (percent: number, of: number) => `${percent} % (de ${of})`,
      tooFew: 'Muy pocos casos para mostrarlo',
      scoredThrough: (date: string) => `Decisiones contadas hasta el ${date}. Las fechas que aún no han llegado no se cuentan todavía.`,
      download: 'Descargar estas cifras (CSV)',
      explainHeading: 'Cómo leer esta tabla',
      explainCameTrue:
        '«Nuestras fechas 8 de cada 10 que se cumplieron: 78 % (de 230)» significa que de 230 fechas que ya pasaron, el 78 % de los casos se decidió en su fecha o antes. Un caso que sigue esperando en su fecha cuenta como no cumplido. Si nuestras fechas son honestas, esto se acerca al 80 %.',
      explainPublished:
        'Las fechas de las cifras publicadas son lo que las cifras de siempre habrían dicho a las mismas personas: la fecha de recibo más el tiempo en que se decidieron 8 de cada 10 (o la mitad) de los casos decididos hace poco.',
      explainError: 'El error típico es la mediana de los días entre la fecha «probable» y la decisión, en los casos ya decididos.',
      explainFew: 'Una proporción o un error típico que se basaría en menos de 20 casos no se muestra (—); el número de casos sí.',
    },
  },
  dates: { locale: 'es-US' },
};

export const MESSAGES: Readonly<Record<Language, Messages>> = { en, es };
