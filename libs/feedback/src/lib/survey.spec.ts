import { LANGUAGES } from '@case-status/case-domain';
import { QUESTION_IDS, SCALE_LABELS, SCALE_VALUES, SURVEY_QUESTIONS, surveyIn } from './survey';

describe('the A-11 survey', () => {
  it('asks the seven A-11 driver questions, each once, in a fixed order', () => {
    expect(SURVEY_QUESTIONS.map((question) => question.id)).toEqual([...QUESTION_IDS]);
    expect(QUESTION_IDS).toEqual(['satisfaction', 'trust', 'effectiveness', 'ease', 'efficiency', 'equity', 'employeeHelpfulness']);
  });

  it.each(LANGUAGES.map((language) => [language]))('is complete in %s: every statement, driver and scale label is filled in', (language) => {
    const survey = surveyIn(language, 'USCIS');
    expect(survey.questions).toHaveLength(7);
    for (const question of survey.questions) {
      expect(question.text).toMatch(/\p{L}{3,}.*[.]$/u);
      expect(question.driver).toMatch(/\p{L}{3,}/u);
      expect(question.text).not.toMatch(/\{|\}|undefined/);
    }
    expect(survey.scale.map((point) => point.value)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(survey.scale.map((point) => point.label)).size).toBe(5);
    expect(survey.intro).toMatch(/\p{L}{3,}/u);
    expect(survey.freeText.prompt).toMatch(/\?$/);
    expect(survey.freeText.hint).toMatch(/\p{L}{3,}/u);
  });

  it('has a different text in Spanish for every English one', () => {
    const en = surveyIn('en', 'VBA');
    const es = surveyIn('es', 'VBA');
    en.questions.forEach((question, index) => expect(es.questions[index].text).not.toBe(question.text));
    for (const value of SCALE_VALUES) expect(SCALE_LABELS[value].es).not.toBe(SCALE_LABELS[value].en);
    expect(es.intro).not.toBe(en.intro);
  });

  it('names the agency where the statement is about it, and says "the agency" when none is given', () => {
    expect(surveyIn('en', 'USCIS').questions[0].text).toBe('I am satisfied with the service I received from USCIS.');
    expect(surveyIn('es', 'VBA').questions[1].text).toBe('Esta interacción aumentó mi confianza en VBA.');
    expect(surveyIn('en').questions[1].text).toBe('This interaction increased my trust in the agency.');
    expect(surveyIn('es').questions[0].text).toBe('Estoy satisfecho(a) con el servicio que recibí de la agencia.');
  });

  it('uses the A-11 agreement scale from strongly disagree to strongly agree', () => {
    expect(surveyIn('en').scale.map((point) => point.label)).toEqual(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']);
    expect(surveyIn('es').scale.map((point) => point.label)).toEqual([
      'Totalmente en desacuerdo',
      'En desacuerdo',
      'Ni de acuerdo ni en desacuerdo',
      'De acuerdo',
      'Totalmente de acuerdo',
    ]);
  });
});
