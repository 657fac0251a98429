import type { Language } from '@case-status/case-domain';

/**
 * The survey pages' own words in English and Spanish. The questions and the scale come
 * from the status API (`feedbackSurvey`), which holds the A-11 texts in both languages.
 * The Spanish dictionary has the English one's type, so a missing text is a compile error.
 */

const en = {
  survey: {
    title: 'Tell us how it went',
    skip: 'Skip this question',
    submit: 'Send my answers',
    anonymous: 'We do not keep your receipt number with your answers. Your comment is read by agency staff only and is never published.',
    errorHeading: 'Check your answers',
    noAnswer: 'Answer at least one question. You can skip any of the others.',
    tooLong: (max: number) => `Your comment is too long. Write at most ${max} characters.`,
    backToCase: 'Back to the case',
    notDecidedTitle: 'The survey is not open yet',
    notDecidedBody: 'The survey opens once your case has a decision. Come back after you receive it.',
    alreadyTitle: 'You already answered',
    alreadyBody: 'We already have your answers for this case. Each case can answer the survey once. Thank you for taking part.',
    unavailable: 'The survey is not available right now. Please try again later.',
  },
  onlyApplicant: {
    title: 'How to answer the survey',
    body: 'Only the person the case belongs to can answer its survey, once the case is decided. You can reach it in either of these ways:',
    link: 'Open the survey link that came with your decision notice. It works for 90 days.',
    signIn: 'Or sign in with a verified identity, link your case in My cases with the online access code from your receipt notice, and open the survey from there.',
    signInLink: 'Sign in to My cases',
  },
  thanks: {
    title: 'Thank you',
    body: 'We received your answers. They help the agency see what works and what to improve.',
    results: 'See what people told us',
  },
  results: {
    title: 'What people told us',
    intro: 'People answer a short survey after their case is decided. These are the results by service and quarter. The results for a quarter appear after it ends.',
    suppression: (minimum: number) => `When fewer than ${minimum} people answered a question, we show only how many answered, so that no one’s answers can be singled out.`,
    agreeExplained: 'Each figure is the share of people who agree or strongly agree with the statement, out of everyone who answered it.',
    formLabel: 'Agency and service',
    allServices: (agency: string) => `All ${agency} services`,
    submit: 'Show results',
    chooseService: 'Choose an agency or a service to see its results.',
    none: 'No results have been published for this selection yet.',
    caption: (service: string, name: string) => `${service}: ${name}. Share who agree, by quarter`,
    quarter: 'Quarter',
    responses: 'Responses',
    agree: (percent: string, answers: number) => `${percent} agree (${answers} ${answers === 1 ? 'answer' : 'answers'})`,
    tooFew: (answers: number) => `Too few responses to publish (${answers} ${answers === 1 ? 'answer' : 'answers'})`,
    csv: (scope: string) => `Download the results for ${scope} as CSV`,
    csvHint: 'One row per service, quarter and question, with counts for each answer: the format of the agency’s quarterly customer experience report.',
    quarterName: (months: string, fiscalYear: string, quarter: string) => `${months} (fiscal year ${fiscalYear}, quarter ${quarter})`,
  },
};

export type FeedbackMessages = typeof en;

const es: FeedbackMessages = {
  survey: {
    title: 'Cuéntenos cómo le fue',
    skip: 'Omitir esta pregunta',
    submit: 'Enviar mis respuestas',
    anonymous: 'No guardamos su número de recibo con sus respuestas. Su comentario solo lo lee el personal de la agencia y nunca se publica.',
    errorHeading: 'Revise sus respuestas',
    noAnswer: 'Conteste al menos una pregunta. Puede omitir las demás.',
    tooLong: (max: number) => `Su comentario es demasiado largo. Escriba como máximo ${max} caracteres.`,
    backToCase: 'Volver al caso',
    notDecidedTitle: 'La encuesta aún no está abierta',
    notDecidedBody: 'La encuesta se abre cuando su caso tiene una decisión. Vuelva cuando la reciba.',
    alreadyTitle: 'Usted ya respondió',
    alreadyBody: 'Ya tenemos sus respuestas para este caso. Cada caso puede responder la encuesta una sola vez. Gracias por participar.',
    unavailable: 'La encuesta no está disponible en este momento. Inténtelo más tarde.',
  },
  onlyApplicant: {
    title: 'Cómo responder la encuesta',
    body: 'Solo la persona a quien pertenece el caso puede responder su encuesta, una vez que el caso tiene una decisión. Puede llegar a ella de cualquiera de estas formas:',
    link: 'Abra el enlace a la encuesta que recibió con su aviso de decisión. Funciona durante 90 días.',
    signIn: 'O inicie sesión con una identidad verificada, vincule su caso en Mis casos con el código de acceso en línea de su aviso de recibo y abra la encuesta desde allí.',
    signInLink: 'Iniciar sesión en Mis casos',
  },
  thanks: {
    title: 'Gracias',
    body: 'Recibimos sus respuestas. Ayudan a la agencia a ver qué funciona y qué debe mejorar.',
    results: 'Vea lo que nos dijeron',
  },
  results: {
    title: 'Lo que nos dijeron',
    intro: 'Las personas responden una encuesta breve después de que se decide su caso. Estos son los resultados por servicio y trimestre. Los resultados de un trimestre aparecen cuando termina.',
    suppression: (minimum: number) => `Cuando menos de ${minimum} personas contestaron una pregunta, solo mostramos cuántas contestaron, para que nadie pueda ser identificado por sus respuestas.`,
    agreeExplained: 'Cada cifra es la proporción de personas que están de acuerdo o totalmente de acuerdo con la afirmación, entre todas las que la contestaron.',
    formLabel: 'Agencia y servicio',
    allServices: (agency: string) => `Todos los servicios de ${agency}`,
    submit: 'Ver resultados',
    chooseService: 'Elija una agencia o un servicio para ver sus resultados.',
    none: 'Todavía no se han publicado resultados para esta selección.',
    caption: (service: string, name: string) => `${service}: ${name}. Proporción de acuerdo, por trimestre`,
    quarter: 'Trimestre',
    responses: 'Respuestas',
    agree: (percent: string, answers: number) => `${percent} de acuerdo (${answers} ${answers === 1 ? 'respuesta' : 'respuestas'})`,
    tooFew: (answers: number) => `Muy pocas respuestas para publicar (${answers} ${answers === 1 ? 'respuesta' : 'respuestas'})`,
    csv: (scope: string) => `Descargar los resultados de ${scope} en CSV`,
    csvHint: 'Una fila por servicio, trimestre y pregunta, con el número de cada respuesta: el formato del informe trimestral de experiencia del cliente de la agencia.',
    quarterName: (months: string, fiscalYear: string, quarter: string) => `${months} (año fiscal ${fiscalYear}, trimestre ${quarter})`,
  },
};

export const FEEDBACK_MESSAGES: Record<Language, FeedbackMessages> = { en, es };
