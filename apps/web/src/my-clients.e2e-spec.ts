import { LOCAL_USERS } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { signInBrowsing } from './testing/signed-in-browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(120_000);

const user = (subject: string) => LOCAL_USERS.find((candidate) => candidate.subject === subject) ?? (() => { throw new Error(`no local user ${subject}`); })();
const [ana, rita] = ['applicant-ana', 'representative-rita'].map(user);
const stamp = String(Date.now()).slice(-7);
const CODE = 'K7QM-4TXR-9HPA';
/** Rita's client by her provider subject, her client by her verified e-mail, someone else's client, and one she is appointed to from next year. */
const [BY_SUBJECT, BY_EMAIL, OTHERS, LATER] = ['1', '2', '3', '4'].map((digit) => `IOE07${digit}${stamp}`);

/**
 * "My clients" in Debian's Chromium without JavaScript, against the local identity provider,
 * intake, the projector, the representatives projection and the status API, all real: the
 * agency appoints Rita on two cases (by her sign-in and by her e-mail address) and someone
 * else on a third; Rita sees exactly her two, with their private details, and loses one the
 * moment the agency records her withdrawal.
 */
describe('My clients in a browser (real identity provider, intake, projections, status API)', () => {
  const site = new SiteUnderTest({ identity: true });
  const issuer = () => site.identityProvider?.issuer ?? '';
  const { page, signInAs, signOut } = signInBrowsing(site, async () => {
    const received = { formType: 'I-485', office: 'NBC' };
    for (const receipt of [BY_SUBJECT, OTHERS, LATER]) await site.record(receipt, 'CaseReceived', '2026-11-02T09:00:00Z', received);
    // Ana's case, which she links herself (the access audit's test below).
    await site.record(BY_EMAIL, 'CaseReceived', '2026-11-02T09:00:00Z', { ...received, accessCodeHash: await hashAccessCode(CODE) });
    await site.record(BY_EMAIL, 'EvidenceRequested', '2026-11-04T09:00:00Z', { requestId: 'rfe-9', dueDate: '2027-01-15', description: 'Birth certificate' });
    await site.record(BY_SUBJECT, 'AppointmentScheduled', '2026-11-05T09:00:00Z', { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-12-15T14:30:00-05:00', office: 'NYC' });
    const appointed = (representativeId: string, identity: object, effectiveFrom = '2026-11-03') => ({ representativeId, name: 'Rita Representative', kind: 'attorney', identity, effectiveFrom });
    await site.record(BY_SUBJECT, 'RepresentativeAppointed', '2026-11-03T09:00:00Z', appointed('g28-1', { issuer: issuer(), subject: rita.subject }));
    await site.record(BY_EMAIL, 'RepresentativeAppointed', '2026-11-03T09:00:00Z', { ...appointed('g28-1', { email: rita.email.toUpperCase() }), kind: 'accredited_representative' });
    await site.record(OTHERS, 'RepresentativeAppointed', '2026-11-03T09:00:00Z', appointed('g28-1', { issuer: issuer(), subject: 'representative-ray' }));
    await site.record(LATER, 'RepresentativeAppointed', '2026-11-03T09:00:00Z', appointed('g28-1', { issuer: issuer(), subject: rita.subject }, `${new Date().getUTCFullYear() + 1}-01-01`));
    // The public revision moves only with the public timeline: an appointment of a representative leaves it alone.
    for (const [receipt, revision] of [[BY_SUBJECT, '1'], [BY_EMAIL, '1'], [OTHERS, '0'], [LATER, '0']]) await site.projected(receipt, revision);
    await clientsAre(rita, [BY_SUBJECT, BY_EMAIL]);
  });

  /** Asks the status API as the website would for `person`. */
  async function myClients(person: { subject: string; email?: string; emailVerified?: boolean }): Promise<string[]> {
    const signer = site.personAssertions;
    if (!signer) throw new Error('the site signs no assertions');
    const assertion = await signer.sign({ issuer: issuer(), subject: person.subject, assuranceLevel: 2, email: person.email, emailVerified: person.emailVerified ?? true });
    const response = await fetch(`${site.statusUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${assertion}` },
      body: JSON.stringify({ query: '{ myClients { receiptNumber } }' }),
    });
    const body = (await response.json()) as { data?: { myClients: { receiptNumber: string }[] } };
    return (body.data?.myClients ?? []).map((client) => client.receiptNumber).sort();
  }

  /** Waits until the representatives projection (run by its own runner) shows `person` exactly `expected`. */
  async function clientsAre(person: typeof rita, expected: string[]): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (JSON.stringify(await myClients(person)) === JSON.stringify([...expected].sort())) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the representatives projection never showed ${expected.join(', ')}`);
  }

  const text = async (selector: string) => (await page().locator(selector).textContent())?.trim();
  const listed = async () => page().locator('[data-case]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-case')).sort());

  it('shows Rita exactly the cases she is of record on, with their private details, in English and Spanish, and loses one on withdrawal', async () => {
    await signInAs(rita, '/en/my-clients');
    expect(page().url()).toBe(`${site.webUrl}/en/my-clients`);
    await expect(text('h1')).resolves.toBe('My clients');
    expect(await listed()).toEqual([BY_SUBJECT, BY_EMAIL].sort());
    await expect(text(`[data-case="${BY_SUBJECT}"] [data-appointments]`)).resolves.toMatch(/^Biometrics appointment: .*2026.*, at office NYC$/);
    await expect(text(`[data-case="${BY_SUBJECT}"] [data-of-record]`)).resolves.toMatch(/^Agency: USCIS · Attorney of record since .*2026$/);
    await expect(text(`[data-case="${BY_EMAIL}"] [data-of-record]`)).resolves.toMatch(/Accredited representative of record/);

    await page().goto(`${site.webUrl}/es/my-clients`);
    await expect(text('h1')).resolves.toBe('Mis clientes');
    await expect(text(`[data-case="${BY_SUBJECT}"] [data-appointments]`)).resolves.toMatch(/^Cita de datos biométricos: .*en la oficina NYC$/);

    await site.record(BY_SUBJECT, 'RepresentativeWithdrawn', '2026-11-20T09:00:00Z', { representativeId: 'g28-1' });
    await clientsAre(rita, [BY_EMAIL]);
    await page().goto(`${site.webUrl}/en/my-clients`);
    expect(await listed()).toEqual([BY_EMAIL]);
    await signOut();
  });

  it('records each private read once, without its values, and shows Ana who read her case', async () => {
    const entries = async () => (await site.accessAudit.ofCase('USCIS', BY_EMAIL, 100)).length;
    const before = await entries();
    await signInAs(rita, '/en/my-clients');
    expect(await listed()).toEqual([BY_EMAIL]);
    expect(await entries()).toBe(before + 1);
    const [ritasRead] = await site.accessAudit.ofCase('USCIS', BY_EMAIL, 1);
    expect(ritasRead).toMatchObject({ grant: 'representative', reader: { issuer: issuer(), subject: rita.subject }, readerName: 'Rita Representative' });
    expect([...ritasRead.fields].sort()).toEqual(['openEvidenceRequests', 'statusText', 'upcomingAppointments']);
    await signOut();

    await signInAs(ana, '/en/my-cases');
    await page().fill('#receipt-number', BY_EMAIL);
    await page().fill('#access-code', CODE);
    await Promise.all([page().waitForURL(/linked=/), page().click('[data-link-form] button[type=submit]')]);
    for (let reloads = 0; reloads < 100 && (await page().locator(`[data-case="${BY_EMAIL}"] [data-access-log]`).count()) === 0; reloads++) await page().reload();
    await expect(text(`[data-case="${BY_EMAIL}"] [data-access-log] [data-grant=REPRESENTATIVE] >> nth=0`)).resolves.toMatch(/: Rita Representative, your representative of record \(status details, evidence requests, appointments\)$/);
    await expect(text(`[data-case="${BY_EMAIL}"] [data-access-log] [data-grant=LINK] >> nth=0`)).resolves.toMatch(/: You \(/);
    await signOut();

    const { rows } = await site.pool.query<{ dump: string }>(`SELECT json_agg(r)::text AS dump FROM "${site.schemas.audit}".private_reads r`);
    expect(rows[0].dump).toContain(BY_EMAIL);
    for (const value of ['rfe-9', '2027-01-15', 'Birth certificate', 'NYC', '2026-12-15']) expect(rows[0].dump).not.toContain(value);
  });

  it('shows Ana, who represents nobody, no case', async () => {
    await signInAs(ana, '/en/my-clients');
    await expect(text('[data-no-clients]')).resolves.toMatch(/^No agency has you as a representative of record/);
    expect(await page().locator('[data-case]').count()).toBe(0);
    await signOut();
  });

  it('matches an e-mail address only when the provider verified it, and the subject only at its own provider', async () => {
    expect(await myClients({ subject: rita.subject, email: rita.email })).toEqual([BY_EMAIL]);
    expect(await myClients({ subject: 'someone-else', email: rita.email, emailVerified: false })).toEqual([]);
    expect(await myClients({ subject: 'someone-else', email: rita.email })).toEqual([BY_EMAIL]);
    expect(await myClients({ subject: 'representative-ray' })).toEqual([OTHERS]);
  });
});
