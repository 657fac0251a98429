import { LOCAL_USERS } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { signInBrowsing } from './testing/signed-in-browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(180_000);

const user = (subject: string) => LOCAL_USERS.find((candidate) => candidate.subject === subject) ?? (() => { throw new Error(`no local user ${subject}`); })();
const [ana, hugo, rita] = ['applicant-ana', 'helper-hugo', 'representative-rita'].map(user);
const CODE = 'K7QM-4TXR-9HPA';
const RECEIPT = `IOE06${String(Date.now()).slice(-8)}`;

/**
 * Helpers in Debian's Chromium without JavaScript, against the local identity provider,
 * intake, the projections, the status API and a real SMTP server: Ana links her case and
 * invites Hugo by e-mail; the e-mail arrives; Rita, who got hold of the link, is refused; Hugo
 * signs in from the link, accepts and sees the private view on "Shared with me"; Ana sees his
 * read in "Who read these details" and takes his access back, which ends it at once.
 */
describe('Helpers in a browser (real identity provider, SMTP, projections, status API)', () => {
  const site = new SiteUnderTest({ identity: true });
  const { page, signInAs, signOut, click } = signInBrowsing(site, async () => {
    await site.record(RECEIPT, 'CaseReceived', '2026-11-02T09:00:00Z', { formType: 'I-485', office: 'NBC', accessCodeHash: await hashAccessCode(CODE) });
    const revision = await site.record(RECEIPT, 'AppointmentScheduled', '2026-11-05T09:00:00Z', { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-12-15T14:30:00-05:00', office: 'NYC' });
    await site.projected(RECEIPT, revision);
  });

  const text = async (selector: string) => (await page().locator(selector).textContent())?.trim();
  const card = `[data-case="${RECEIPT}"]`;
  /** Reloads until `selector` shows (the API waits a moment for the projections; a loaded machine may need more). */
  async function shown(selector: string, present = true): Promise<void> {
    for (let reloads = 0; reloads < 100 && (await page().locator(selector).count()) === 0 === present; reloads++) await page().reload();
  }
  let link = '';

  it('lets Ana invite Hugo by e-mail for 30 days, in a form that needs no JavaScript', async () => {
    await signInAs(ana, '/en/my-cases');
    await page().fill('#receipt-number', RECEIPT);
    await page().fill('#access-code', CODE);
    await click('[data-link-form] button[type=submit]');
    await shown(card);
    await expect(text(`${card} [data-helpers] h3`)).resolves.toBe('People who can see this case');
    await expect(text(`${card} [data-helpers] p + p`)).resolves.toBe('Nobody else can see this case.');

    // A date that is not one is explained on the page, and nothing is sent.
    await page().fill(`#helper-email-${RECEIPT}`, hugo.email);
    await page().selectOption(`#helper-duration-${RECEIPT}`, 'until');
    await page().fill(`#helper-until-${RECEIPT}`, 'next week');
    await click(`[data-invite-form="${RECEIPT}"] button[type=submit]`);
    await expect(text(`#helper-until-${RECEIPT}-error`)).resolves.toMatch(/^The last day must be a date after today/);
    expect(await page().inputValue(`#helper-email-${RECEIPT}`)).toBe(hugo.email);
    expect(site.smtp.to(hugo.email)).toEqual([]);

    await page().selectOption(`#helper-duration-${RECEIPT}`, '30d');
    await click(`[data-invite-form="${RECEIPT}"] button[type=submit]`);
    expect(page().url()).toBe(`${site.webUrl}/en/my-cases?invited=1`);
    await expect(text('[data-helpers-notice]')).resolves.toMatch(/^We sent the invitation/);
    await expect(text(`${card} [data-helper]`)).resolves.toMatch(/^h…@example\.org: Invited \(until .*\) Take back access$/);

    const [message] = await site.smtp.waitFor(hugo.email, 1);
    expect(message.headers.get('subject')).toBe('You are invited to follow a USCIS case');
    link = /(http:\/\/\S+\/en\/helpers\/accept\?token=[A-Za-z0-9_-]{43})/.exec(message.text)?.[1] ?? '';
    expect(link.startsWith(`${site.webUrl}/en/helpers/accept?token=`)).toBe(true);
    expect(message.raw).not.toContain(RECEIPT);
    await signOut();
  });

  it('refuses Rita, who got hold of the link: it was sent to another address', async () => {
    // Signing in from the e-mail's link comes back to it.
    await signInAs(rita, link.slice(site.webUrl.length));
    expect(page().url()).toBe(link);
    await click('[data-accept-form] button[type=submit]');
    await expect(text('[data-accept-refusal]')).resolves.toBe('This invitation was sent to another e-mail address. Sign in with the account of the address it was sent to.');
    await page().goto(`${site.webUrl}/en/shared-with-me`);
    await expect(text('[data-nothing-shared]')).resolves.toBe('Nobody is sharing a case with you right now.');
    await signOut();
  });

  it('lets Hugo sign in from the link, accept once, and see the private view on Shared with me, in English and Spanish', async () => {
    // Signing in from the e-mail's link comes back to it.
    await signInAs(hugo, link.slice(site.webUrl.length));
    expect(page().url()).toBe(link);
    await expect(text('h1')).resolves.toBe('Accept an invitation to see a case');
    expect(await page().getAttribute('[data-accept-form] input[name=csrf]', 'value')).toMatch(/.{20,}/);
    await click('[data-accept-form] button[type=submit]');
    expect(page().url()).toBe(`${site.webUrl}/en/shared-with-me?accepted=1`);
    await shown(card);
    await expect(text(`${card} [data-appointments]`)).resolves.toMatch(/^Biometrics appointment: .*2026.*, at office NYC$/);
    await expect(text(`${card} [data-shared-until]`)).resolves.toMatch(/^Agency: USCIS · Shared with you until /);

    await page().goto(`${site.webUrl}/es/shared-with-me`);
    await expect(text('h1')).resolves.toBe('Compartidos conmigo');
    await expect(text(`${card} [data-appointments]`)).resolves.toMatch(/^Cita de datos biométricos: .*en la oficina NYC$/);

    // The link works once.
    await page().goto(link);
    await click('[data-accept-form] button[type=submit]');
    await expect(text('[data-accept-refusal]')).resolves.toBe('This invitation was already accepted. An invitation can be accepted once.');
    // Each read of Hugo's left one audit entry naming the grant.
    const reads = (await site.accessAudit.ofCase('USCIS', RECEIPT, 50)).filter((entry) => entry.grant === 'helper');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reads.map((entry) => entry.grantId)).size).toBe(1);
    expect(reads.every((entry) => 'issuer' in entry.reader && entry.reader.subject === hugo.subject)).toBe(true);
    await signOut();
  });

  it('shows Ana Hugo’s reads, and takes his access away at once when she revokes it', async () => {
    await signInAs(ana, '/en/my-cases');
    // Hugo read it twice (in English and Spanish): two entries, each naming him by the invited address's hint.
    const helperReads = await page().locator(`${card} [data-access-log] [data-grant="HELPER"]`).allTextContents();
    expect(helperReads).toHaveLength(2);
    for (const read of helperReads) expect(read.trim()).toMatch(/: h…@example\.org, a helper you invited \(.*appointments.*\)$/);
    await expect(text(`${card} [data-helper]`)).resolves.toMatch(/^h…@example\.org: Can see this case/);
    await click(`${card} [data-revoke]`);
    expect(page().url()).toBe(`${site.webUrl}/en/my-cases?revoked=1`);
    await shown(`${card} [data-helper][data-state="REVOKED"]`);
    await expect(text(`${card} [data-helper]`)).resolves.toBe('h…@example.org: Access taken back');
    await signOut();

    await signInAs(hugo, '/en/shared-with-me');
    await expect(text('[data-nothing-shared]')).resolves.toBe('Nobody is sharing a case with you right now.');
    await signOut();
  });

  it('refuses every helper form without the session’s CSRF token, and a link whose token cannot be one', async () => {
    await signInAs(ana, '/en/my-cases');
    const post = (path: string, form: Record<string, string>) => page().request.post(`${site.webUrl}${path}`, { form, maxRedirects: 0 });
    expect((await post('/en/my-cases/helpers/invite', { receiptNumber: RECEIPT, email: 'someone@example.org', duration: '7d' })).status()).toBe(403);
    expect((await post('/en/my-cases/helpers/revoke', { invitationId: '00000000-0000-4000-8000-000000000000' })).status()).toBe(403);
    expect((await post('/en/helpers/accept', { token: 'A'.repeat(43) })).status()).toBe(403);
    expect(site.smtp.to('someone@example.org')).toEqual([]);

    const [response] = await Promise.all([page().waitForResponse((answer) => answer.url().includes('/helpers/accept')), page().goto(`${site.webUrl}/es/helpers/accept?token=short`)]);
    expect(response.status()).toBe(404);
    await expect(text('[data-accept-refusal]')).resolves.toBe('No encontramos esta invitación. Revise que usó el enlace completo del correo.');
    await page().goto(`${site.webUrl}/en/my-cases`);
    await signOut();
  });
});
