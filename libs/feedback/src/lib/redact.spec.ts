import { REDACTED, redactPersonalDetails } from './redact';

describe('redactPersonalDetails', () => {
  it.each([
    ['my case IOE0912345678 took long', `my case ${REDACTED.receiptNumber} took long`],
    ['receipt ioe 09-123-45678, thanks', `receipt ${REDACTED.receiptNumber}, thanks`],
    ['claim VBA-2026-0001234 was approved', `claim ${REDACTED.receiptNumber} was approved`],
    ['claim vba 2026 0001234', `claim ${REDACTED.receiptNumber}`],
    ['write to maria.lopez+uscis@example.org please', `write to ${REDACTED.email} please`],
    ['call (202) 555-0143 or +1 202 555 0143', `call ${REDACTED.number} or ${REDACTED.number}`],
    ['SSN 123-45-6789 and A-number A123456789', `SSN ${REDACTED.number} and A-number ${REDACTED.number}`],
  ])('removes what identifies a person or case: %s', (text, expected) => {
    expect(redactPersonalDetails(text)).toBe(expected);
  });

  it('keeps ordinary text, dates and short numbers', () => {
    const text = 'It took 3 months and 2 visits, from 2026-01-05 to March 30. Staff at office 12 were kind.';
    expect(redactPersonalDetails(text)).toBe(text);
  });
});
