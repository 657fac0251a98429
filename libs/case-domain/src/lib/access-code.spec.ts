import { command, DECIDED, event, jan, PENDING, RECEIPT } from '../testing/case-fixtures';
import { given } from '../testing/specification';
import { foldCase } from '../index';
import { currentAccessCode, parseAccessCodeHash } from './access-code';

const SALT = 'c2FsdHNhbHRzYWx0c2FsdA';
const HASH = 'A'.repeat(43);
const valid = `scrypt$16384$8$1$${SALT}$${HASH}`;
const other = `scrypt$32768$8$1$${SALT}$${'B'.repeat(43)}`;
const RECEIVED = { agency: 'USCIS', receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' };

describe('parseAccessCodeHash', () => {
  it('reads the parts of a well-formed hash', () => {
    expect(parseAccessCodeHash(valid)).toEqual({ ok: true, hash: { N: 16384, r: 8, p: 1, salt: SALT, hash: HASH } });
  });

  it.each([
    ['another algorithm', `bcrypt$16384$8$1$${SALT}$${HASH}`, /form/],
    ['a cost that would burn CPU', `scrypt$1048576$8$1$${SALT}$${HASH}`, /N must be one of 16384, 32768, 65536/],
    ['a cost too low to slow a guesser', `scrypt$1024$8$1$${SALT}$${HASH}`, /N must be/],
    ['a larger block size', `scrypt$16384$64$1$${SALT}$${HASH}`, /r must be 8 and p 1/],
    ['parallelism', `scrypt$16384$8$16$${SALT}$${HASH}`, /r must be 8 and p 1/],
    ['a short salt', `scrypt$16384$8$1$c2FsdA$${HASH}`, /salt/],
    ['a hash of the wrong length', `scrypt$16384$8$1$${SALT}$${HASH}AA`, /hash must be 32 bytes/],
    ['padded base64', `scrypt$16384$8$1$${SALT}$${HASH.slice(1)}=`, /hash/],
    ['a number', 42, /must be a string/],
  ])('refuses %s, saying what is wrong', (_, value, problem) => {
    const parsed = parseAccessCodeHash(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});

describe('currentAccessCode', () => {
  const received = event('CaseReceived', { ...RECEIVED, accessCodeHash: valid }, jan(5));

  it('is null for a case received without one', () => {
    expect(currentAccessCode(PENDING)).toBeNull();
  });

  it('is the hash the case was received with, until a new one replaces it', () => {
    expect(currentAccessCode([received])).toEqual({ hash: valid, index: 0 });
    expect(currentAccessCode([received, event('AccessCodeIssued', { accessCodeHash: other }, jan(6))])).toEqual({ hash: other, index: 1 });
  });
});

describe('issuing an access code', () => {
  it('is recorded on a received case, whatever its phase after that', () => {
    for (const history of [PENDING, DECIDED]) {
      given(...history).when(command('IssueAccessCode', { accessCodeHash: other })).then(event('AccessCodeIssued', { accessCodeHash: other }, '2026-02-01T10:00:00Z'));
    }
  });

  it('is refused with CASE_NOT_RECEIVED before the case exists', () => {
    given().when(command('IssueAccessCode', { accessCodeHash: valid })).thenRejects('CASE_NOT_RECEIVED');
  });

  it('is refused with INVALID_VALUE on /data/accessCodeHash when the hash is malformed', () => {
    given(...PENDING).when(command('IssueAccessCode', { accessCodeHash: 'plain-code' })).thenRejects('INVALID_VALUE', '/data/accessCodeHash');
  });

  it('is recorded with the case when CaseReceived carries it, and a malformed one refuses the case', () => {
    const data = { receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' };
    given().when(command('ReceiveCase', { ...data, accessCodeHash: valid })).then(event('CaseReceived', { ...RECEIVED, accessCodeHash: valid }, '2026-02-01T10:00:00Z'));
    given().when(command('ReceiveCase', { ...data, accessCodeHash: `scrypt$1048576$8$1$${SALT}$${HASH}` })).thenRejects('INVALID_VALUE', '/data/accessCodeHash');
  });

  it('leaves the case state, which read models keep, without the hash', () => {
    const state = given(...PENDING).when(command('IssueAccessCode', { accessCodeHash: valid }));
    expect(JSON.stringify(state.result)).toContain(valid);
    expect(JSON.stringify(foldCase([event('CaseReceived', { ...RECEIVED, accessCodeHash: valid }, jan(5)), event('AccessCodeIssued', { accessCodeHash: other }, jan(6))]))).not.toMatch(/scrypt/);
  });
});
