import { MESSAGES } from './i18n/messages';
import { checkReceiptNumber } from './receipt-number';

const en = (input: string) => {
  const checked = checkReceiptNumber(input);
  if (checked.ok) throw new Error(`"${input}" was accepted as ${checked.receiptNumber}`);
  return MESSAGES.en.receiptProblem(checked.problem);
};
const es = (input: string) => {
  const checked = checkReceiptNumber(input);
  if (checked.ok) throw new Error(`"${input}" was accepted as ${checked.receiptNumber}`);
  return MESSAGES.es.receiptProblem(checked.problem);
};

describe('reading a typed receipt number', () => {
  describe('forgives what does not change the number', () => {
    it.each([
      ['IOE0912345678', 'IOE0912345678', 'USCIS'],
      [' ioe 091 234 5678 ', 'IOE0912345678', 'USCIS'],
      ['IOE-091-234-5678', 'IOE0912345678', 'USCIS'],
      ['VBA-2026-0001234', 'VBA-2026-0001234', 'VBA'],
      ['vba 2026 0001234', 'VBA-2026-0001234', 'VBA'],
      ['VBA20260001234', 'VBA-2026-0001234', 'VBA'],
    ])('%j is %s (%s)', (input, receiptNumber, agency) => {
      expect(checkReceiptNumber(input)).toEqual({ ok: true, receiptNumber, agency });
    });
  });

  describe('names what is wrong, in English', () => {
    it.each([
      ['', /Enter your receipt number/],
      ['IOE09123#5678', /only letters, digits and dashes\. Remove “#”/],
      ['ABC0912345678', /“ABC” is not one of them: IOE, MSC, EAC/],
      ['IOE09123456O8', /Character 12, “O”, is not a digit \(is it a zero, 0\?\)/],
      ['IOE0912345l78', /Character 11, “L”, is not a digit \(is it a one, 1\?\)/],
      ['IOE091234567', /You entered 9 digits after the letters/],
      ['IOE09123456789', /You entered 11 digits after the letters/],
      ['0912345678', /starts with 3 letters, such as IOE, before its 10 digits\. You entered only 10 digits/],
      ['VBA-26-0001234', /“26” is not a year/],
      ['VBA-2026-12345', /ends with 7 digits after the year.*You entered “12345”/],
      ['VBA-2026-00012A4', /You entered “00012A4”/],
      ['hello', /does not look like a receipt number/],
    ])('%j', (input, message) => {
      expect(en(input)).toMatch(message);
    });
  });

  it('never answers with a status code or the word "error"', () => {
    for (const input of ['', 'x', 'IOE1', 'ABC0912345678', 'VBA-1-1', '12345']) {
      expect(en(input)).not.toMatch(/\b(error|400|invalid)\b/i);
      expect(es(input)).not.toMatch(/\b(error|400|inválido)\b/i);
    }
  });

  it('says the same in Spanish', () => {
    expect(es('IOE09123456O8')).toBe('Después de las 3 letras, un número de recibo de USCIS solo tiene dígitos. El carácter 12, «O», no es un dígito (¿es un cero, 0?).');
    expect(es('IOE091234567')).toMatch(/Usted escribió 9 dígitos después de las letras/);
    expect(es('VBA-2026-12345')).toMatch(/Usted escribió «12345»/);
  });
});
