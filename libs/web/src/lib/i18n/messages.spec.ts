import type { ReceiptProblem } from '../receipt-number';
import { LANGUAGES } from '@case-status/case-domain';
import { MESSAGES } from './messages';

type Tree = Record<string, unknown>;

/** Every key path of a dictionary, with the value found there. */
function entries(tree: Tree, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? entries(value as Tree, `${prefix}${key}.`) : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

const PROBLEMS: ReceiptProblem[] = [
  { kind: 'empty' },
  { kind: 'character', character: '#' },
  { kind: 'uscis_office', prefix: 'ABC', known: ['IOE', 'MSC'] },
  { kind: 'uscis_not_digit', position: 7, character: 'O' },
  { kind: 'uscis_digit_count', digits: 1 },
  { kind: 'uscis_missing_letters', digits: 10 },
  { kind: 'vba_year', year: '26' },
  { kind: 'vba_number', number: '123' },
  { kind: 'unrecognized' },
];

describe('texts in English and Spanish', () => {
  const keysOf = (language: (typeof LANGUAGES)[number]) => entries(MESSAGES[language] as unknown as Tree).map(([key]) => key);

  it('has the same keys in both languages', () => {
    expect(keysOf('es')).toEqual(keysOf('en'));
    expect(keysOf('en').length).toBeGreaterThan(100);
  });

  it.each(LANGUAGES)('has no empty text in %s, and every parameterised text fills in its values', (language) => {
    for (const [key, value] of entries(MESSAGES[language] as unknown as Tree)) {
      if (typeof value === 'string') expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
      else if (typeof value === 'function') {
        const text = key === 'receiptProblem' ? PROBLEMS.map((problem) => (value as (p: ReceiptProblem) => string)(problem)).join(' ') : (value as (...args: unknown[]) => string)('X1', 'X2', 'X3');
        expect({ key, text: typeof text === 'string' && text.length > 0 && !text.includes('undefined') }).toEqual({ key, text: true });
      } else throw new Error(`${language}.${key} is neither a text nor a function`);
    }
  });

  it('explains every receipt-number problem differently in each language', () => {
    for (const problem of PROBLEMS) {
      expect(MESSAGES.es.receiptProblem(problem)).not.toBe(MESSAGES.en.receiptProblem(problem));
    }
  });

  it('translates, rather than copies, the texts', () => {
    const same = entries(MESSAGES.en as unknown as Tree).filter(([key, value]) => typeof value === 'string' && entries(MESSAGES.es as unknown as Tree).find(([k]) => k === key)?.[1] === value);
    // Only the names of the languages and locale-free tokens may be equal.
    expect(same.map(([key]) => key)).toEqual([]);
  });
});
