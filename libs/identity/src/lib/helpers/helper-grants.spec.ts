import { decideHelperGrants, evolveHelperGrants, grantState, initialHelperGrants, invitationTokenHash, type HelperCommand, type HelperDecision } from './helper-grants';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 3600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const linked = { type: 'CaseLinked', data: { agency: 'USCIS', receiptNumber: 'IOE0912345678' } };
const invite = (overrides: Partial<Extract<HelperCommand, { type: 'InviteHelper' }>> = {}): HelperCommand => ({
  type: 'InviteHelper',
  invitationId: 'inv-1',
  agency: 'USCIS',
  receiptNumber: 'IOE0912345678',
  email: 'Helen@Example.org',
  tokenHash: invitationTokenHash('token-1'),
  accessUntil: at(30 * DAY),
  now: NOW,
  ...overrides,
});
const accept = (overrides: Partial<Extract<HelperCommand, { type: 'AcceptHelperInvitation' }>> = {}): HelperCommand => ({
  type: 'AcceptHelperInvitation',
  invitationId: 'inv-1',
  tokenHash: invitationTokenHash('token-1'),
  helperStream: 'person-helen',
  applicantStream: 'person-ana',
  helperVerifiedEmail: 'helen@example.org',
  now: at(DAY),
  ...overrides,
});

/** Given these events of the applicant's stream, when the command, then this decision. */
function given(...events: { type: string; data: unknown }[]) {
  const state = events.reduce((folded, event) => evolveHelperGrants(folded, event), initialHelperGrants());
  return { when: (command: HelperCommand): HelperDecision => decideHelperGrants(command, state) };
}
const eventsOf = (decision: HelperDecision) => (decision.ok ? decision.events : []);
const invited = eventsOf(given(linked).when(invite()));
const acceptedBy = (helperStream: string) => ({ type: 'HelperInvitationAccepted', data: { invitationId: 'inv-1', helperStream } });

describe('helper grants: invite', () => {
  it('records the invitation with hashes, a hint of the address and a 7-day invitation', () => {
    expect(invited).toEqual([
      {
        type: 'HelperInvited',
        data: expect.objectContaining({ invitationId: 'inv-1', emailHint: 'h…@example.org', accessUntil: at(30 * DAY).toISOString(), invitationExpiresAt: at(7 * DAY).toISOString() }),
      },
    ]);
    expect(JSON.stringify(invited).toLowerCase()).not.toContain('helen@example.org');
  });
  it('lets an invitation live no longer than the access it gives', () => {
    expect(eventsOf(given(linked).when(invite({ accessUntil: at(DAY) })))[0].data).toMatchObject({ invitationExpiresAt: at(DAY).toISOString() });
  });
  it('refuses a case the person did not link (a helper cannot re-share)', () => {
    expect(given().when(invite())).toEqual({ ok: false, refusal: 'CASE_NOT_LINKED' });
    expect(given(linked, ...invited, acceptedBy('person-helen')).when(invite({ receiptNumber: 'IOE0999999999' }))).toEqual({ ok: false, refusal: 'CASE_NOT_LINKED' });
  });
  it('refuses an access that ends in the past or more than a year on', () => {
    expect(given(linked).when(invite({ accessUntil: NOW }))).toEqual({ ok: false, refusal: 'ACCESS_UNTIL_NOT_ALLOWED' });
    expect(given(linked).when(invite({ accessUntil: at(367 * DAY) }))).toEqual({ ok: false, refusal: 'ACCESS_UNTIL_NOT_ALLOWED' });
  });
  it('refuses an eleventh open grant on a case, but not once one is revoked', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ type: 'HelperInvited', data: { ...invited[0].data, invitationId: `inv-${i}` } }));
    expect(given(linked, ...ten).when(invite({ invitationId: 'inv-x' }))).toEqual({ ok: false, refusal: 'TOO_MANY_HELPERS' });
    expect(given(linked, ...ten, { type: 'HelperAccessRevoked', data: { invitationId: 'inv-3' } }).when(invite({ invitationId: 'inv-x' })).ok).toBe(true);
  });
});

describe('helper grants: accept', () => {
  it('records the helper’s acceptance when the verified address matches, whatever its case', () => {
    expect(eventsOf(given(linked, ...invited).when(accept({ helperVerifiedEmail: 'HELEN@example.org' })))).toEqual([acceptedBy('person-helen')]);
  });
  it('refuses, in order: a wrong token, a revoked, an accepted, an expired invitation, the applicant, an unverified or another address', () => {
    const revoked = { type: 'HelperAccessRevoked', data: { invitationId: 'inv-1' } };
    const cases: [ReturnType<typeof given>, HelperCommand, string][] = [
      [given(linked, ...invited), accept({ tokenHash: invitationTokenHash('token-2') }), 'INVITATION_NOT_FOUND'],
      [given(linked), accept(), 'INVITATION_NOT_FOUND'],
      [given(linked, ...invited, revoked), accept(), 'INVITATION_REVOKED'],
      [given(linked, ...invited, acceptedBy('person-helen')), accept(), 'INVITATION_ALREADY_ACCEPTED'],
      [given(linked, ...invited), accept({ now: at(7 * DAY) }), 'INVITATION_EXPIRED'],
      [given(linked, ...invited), accept({ helperStream: 'person-ana' }), 'OWN_INVITATION'],
      [given(linked, ...invited), accept({ helperVerifiedEmail: undefined }), 'EMAIL_NOT_VERIFIED'],
      [given(linked, ...invited), accept({ helperVerifiedEmail: 'mallory@example.org' }), 'EMAIL_DOES_NOT_MATCH'],
    ];
    for (const [state, command, refusal] of cases) expect(state.when(command)).toEqual({ ok: false, refusal });
  });
});

describe('helper grants: revoke', () => {
  it('records a revocation once, and refuses an invitation the person never sent', () => {
    const revoke: HelperCommand = { type: 'RevokeHelperAccess', invitationId: 'inv-1', now: NOW };
    const revoked = eventsOf(given(linked, ...invited).when(revoke));
    expect(revoked).toEqual([{ type: 'HelperAccessRevoked', data: { invitationId: 'inv-1' } }]);
    expect(given(linked, ...invited, ...revoked).when(revoke)).toEqual({ ok: true, events: [] });
    expect(given(linked).when(revoke)).toEqual({ ok: false, refusal: 'INVITATION_NOT_FOUND' });
  });
});

describe('grant state at a moment', () => {
  const grant = { accessUntil: at(30 * DAY), invitationExpiresAt: at(7 * DAY), accepted: false, revoked: false };
  it.each([
    ['invited', grant, at(DAY)],
    ['invitation_expired', grant, at(7 * DAY)],
    ['active', { ...grant, accepted: true }, at(30 * DAY - 1)],
    ['ended', { ...grant, accepted: true }, at(30 * DAY)],
    ['revoked', { ...grant, accepted: true, revoked: true }, at(DAY)],
  ] as const)('%s', (state, input, now) => expect(grantState(input, now)).toBe(state));
});

describe('helper grants: the applicant unlinks the case', () => {
  const unlinked = { type: 'CaseUnlinked', data: { agency: 'USCIS', receiptNumber: 'IOE0912345678' } };

  it('ends every grant of the case, accepted or not, and lets nobody share it until it is linked again', () => {
    expect(given(linked, ...invited, acceptedBy('person-helen'), unlinked).when(accept())).toEqual({ ok: false, refusal: 'INVITATION_REVOKED' });
    expect(given(linked, ...invited, unlinked).when(accept())).toEqual({ ok: false, refusal: 'INVITATION_REVOKED' });
    expect(given(linked, ...invited, unlinked).when(invite({ invitationId: 'inv-2' }))).toEqual({ ok: false, refusal: 'CASE_NOT_LINKED' });
    expect(given(linked, unlinked, linked).when(invite({ invitationId: 'inv-2' })).ok).toBe(true);
    const state = [linked, ...invited, acceptedBy('person-helen'), unlinked].reduce((folded, event) => evolveHelperGrants(folded, event), initialHelperGrants());
    expect(state.grants.get('inv-1')?.revoked).toBe(true);
  });
});
