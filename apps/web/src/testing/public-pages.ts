import type { Language } from '@case-status/case-domain';
/** Cases the pages below show: one still pending (with evidence requested) and one decided. */
export interface ExampleCases {
  pending: string;
  decided: string;
}

/**
 * Every public page, as [name, path] in one language: the list the accessibility checks
 * (axe and the checks axe cannot make) walk through. The survey (through the decided case's
 * survey link, and without it), and its results are only there when the site offers the survey.
 */
export function publicPages(language: Language, cases: ExampleCases, options: { surveyLink?: (receiptNumber: string) => string } = {}): [string, string][] {
  return [
    ['lookup', `/${language}/`],
    ['lookup with a mistyped number', `/${language}/case?receiptNumber=IOE09123`],
    ['case not found', `/${language}/case/IOE0000000001`],
    ['case with evidence requested', `/${language}/case/${cases.pending}`],
    ['decided case', `/${language}/case/${cases.decided}`],
    ['get updates', `/${language}/case/${cases.pending}/updates`],
    ['confirm link', `/${language}/notifications/confirm?token=abc`],
    ['unsubscribe link', `/${language}/notifications/unsubscribe?token=abc`],
    ['processing times', `/${language}/processing-times?form=USCIS%3AI-130`],
    ...(options.surveyLink
      ? ([
          ['feedback survey', `/${language}/case/${cases.decided}/feedback?link=${options.surveyLink(cases.decided)}`],
          ['how to answer the survey', `/${language}/case/${cases.decided}/feedback`],
          ['feedback results', `/${language}/feedback/results?selection=USCIS%3AI-130`],
        ] as [string, string][])
      : []),
    ['page not found', `/${language}/nowhere`],
  ];
}
