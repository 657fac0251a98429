import type { Language } from '@case-status/case-domain';

/**
 * The post-transaction survey of OMB Circular A-11 Section 280: one statement per customer
 * experience driver, each answered on the same 5-point agreement scale, plus an optional
 * free-text question. The statements follow A-11's wording in plain language; `{agency}` is
 * replaced by the agency's short name (or "the agency" when none is given).
 */

/** Stable ids: they are stored in events and read-model rows and name the CSV's questions. */
export const QUESTION_IDS = ['satisfaction', 'trust', 'effectiveness', 'ease', 'efficiency', 'equity', 'employeeHelpfulness'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

/** 1 = strongly disagree … 5 = strongly agree. */
export const SCALE_VALUES = [1, 2, 3, 4, 5] as const;
export type ScaleValue = (typeof SCALE_VALUES)[number];

/** Values that count as agreeing in the published "share agreeing". */
export const AGREEING_VALUES: readonly ScaleValue[] = [4, 5];

/**
 * A question's breakdown is published only once at least this many people answered it in a
 * group (agency, service, quarter); below it, only the number of answers is shown, so a
 * handful of answers can never be read back to the few people who gave them.
 */
export const MIN_PUBLISHED_RESPONSES = 10;

/** Longest free-text answer accepted, in characters. */
export const MAX_FREE_TEXT_LENGTH = 2000;

type Texts = Record<Language, string>;

export interface SurveyQuestionDefinition {
  id: QuestionId;
  /** The A-11 customer experience driver the statement measures. */
  driver: Texts;
  /** The statement to agree or disagree with; may contain `{agency}`. */
  statement: Texts;
}

export const SURVEY_QUESTIONS: readonly SurveyQuestionDefinition[] = [
  {
    id: 'satisfaction',
    driver: { en: 'Satisfaction', es: 'Satisfacción' },
    statement: { en: 'I am satisfied with the service I received from {agency}.', es: 'Estoy satisfecho(a) con el servicio que recibí de {agency}.' },
  },
  {
    id: 'trust',
    driver: { en: 'Trust', es: 'Confianza' },
    statement: { en: 'This interaction increased my trust in {agency}.', es: 'Esta interacción aumentó mi confianza en {agency}.' },
  },
  {
    id: 'effectiveness',
    driver: { en: 'Effectiveness', es: 'Eficacia' },
    statement: { en: 'My need was addressed.', es: 'Se atendió lo que necesitaba.' },
  },
  {
    id: 'ease',
    driver: { en: 'Ease', es: 'Facilidad' },
    statement: { en: 'It was easy to complete what I needed to do.', es: 'Fue fácil hacer lo que necesitaba hacer.' },
  },
  {
    id: 'efficiency',
    driver: { en: 'Efficiency', es: 'Rapidez' },
    statement: { en: 'It took a reasonable amount of time to do what I needed to do.', es: 'Hacer lo que necesitaba me tomó un tiempo razonable.' },
  },
  {
    id: 'equity',
    driver: { en: 'Equity', es: 'Trato justo' },
    statement: { en: 'I was treated fairly.', es: 'Me trataron de manera justa.' },
  },
  {
    id: 'employeeHelpfulness',
    driver: { en: 'Employee helpfulness', es: 'Ayuda del personal' },
    statement: { en: 'Employees I interacted with were helpful.', es: 'Los empleados con los que tuve contacto me ayudaron.' },
  },
];

export const SCALE_LABELS: Readonly<Record<ScaleValue, Texts>> = {
  1: { en: 'Strongly disagree', es: 'Totalmente en desacuerdo' },
  2: { en: 'Disagree', es: 'En desacuerdo' },
  3: { en: 'Neither agree nor disagree', es: 'Ni de acuerdo ni en desacuerdo' },
  4: { en: 'Agree', es: 'De acuerdo' },
  5: { en: 'Strongly agree', es: 'Totalmente de acuerdo' },
};

const SURVEY_INTRO: Texts = {
  en: 'Tell us how it went. Every question is optional: answer the ones that apply to you. Your answers are anonymous. They are not linked to your case and do not change it.',
  es: 'Cuéntenos cómo le fue. Todas las preguntas son opcionales: conteste las que correspondan a su caso. Sus respuestas son anónimas. No se vinculan a su caso ni lo cambian.',
};

const FREE_TEXT_PROMPT: Texts = {
  en: 'Is there anything else you want to tell us about your experience?',
  es: '¿Hay algo más que quiera contarnos sobre su experiencia?',
};

const FREE_TEXT_HINT: Texts = {
  en: 'Do not include your name, receipt number, email address or other personal details. We remove numbers and email addresses before anyone reads your comment.',
  es: 'No incluya su nombre, número de recibo, correo electrónico ni otros datos personales. Quitamos los números y los correos electrónicos antes de que alguien lea su comentario.',
};

const GENERIC_AGENCY: Texts = { en: 'the agency', es: 'la agencia' };

export interface SurveyQuestion {
  id: QuestionId;
  driver: string;
  text: string;
}

export interface Survey {
  language: Language;
  intro: string;
  scale: { value: ScaleValue; label: string }[];
  questions: SurveyQuestion[];
  freeText: { prompt: string; hint: string; maxLength: number };
}

/** The survey as a person sees it, in one language; `agencyName` fills in the statements that name the agency. */
export function surveyIn(language: Language, agencyName?: string): Survey {
  const agency = agencyName ?? GENERIC_AGENCY[language];
  return {
    language,
    intro: SURVEY_INTRO[language],
    scale: SCALE_VALUES.map((value) => ({ value, label: SCALE_LABELS[value][language] })),
    questions: SURVEY_QUESTIONS.map((question) => ({
      id: question.id,
      driver: question.driver[language],
      text: question.statement[language].replaceAll('{agency}', agency),
    })),
    freeText: { prompt: FREE_TEXT_PROMPT[language], hint: FREE_TEXT_HINT[language], maxLength: MAX_FREE_TEXT_LENGTH },
  };
}

export function isQuestionId(value: string): value is QuestionId {
  return (QUESTION_IDS as readonly string[]).includes(value);
}
