import { LOCAL_USERS, newPersonAssertionKeys } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { signInBrowsing } from './testing/signed-in-browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(120_000);

const user = (subject: string) => LOCAL_USERS.find((candidate) => candidate.subject === subject) ?? (() => { throw new Error(`no local user ${subject}`); })();
const [ana, ben, rita] = ['applicant-ana', 'applicant-ben', 'representative-rita'].map(user);
const CODE = 'K7QM-4TXR-9HPA';
const RECEIPT = `IOE09${String(Date.now()).slice(-8)}`;

/**
 * "My cases" in Debian's Chromium without JavaScript, against the local identity provider,
 * intake, the projector, the links projection and the status API, all real: a case received
 * with its access code's hash through intake, linked by Ana (IAL2) and shown with its
 * private details; Ben (IAL1) sent to raise his level; wrong codes limited; and the status
 * API refusing anyone it cannot tell is Ana.
 */
describe('My cases in a browser (real identity provider, intake, projections, status API)', () => {
  const site = new SiteUnderTest({ identity: true });
  const { page, signInAs, signOut } = signInBrowsing(site, async () => {
    await site.record(RECEIPT, 'CaseReceived', '2026-11-02T09:00:00Z', { formType: 'I-485', office: 'NBC', accessCodeHash: await hashAccessCode(CODE) });
    await site.record(RECEIPT, 'AppointmentScheduled', '2026-11-05T09:00:00Z', { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-12-15T14:30:00-05:00', office: 'NYC' });
    const revision = await site.record(RECEIPT, 'EvidenceRequested', '2026-11-06T09:00:00Z', { requestId: 'rfe-1', dueDate: '2027-01-15', description: 'Birth certificate' });
    await site.projected(RECEIPT, revision);
  });

  const text = async (selector: string) => (await page().locator(selector).textContent())?.trim();

  async function link(receiptNumber: string, code: string): Promise<number> {
    await page().fill('#receipt-number', receiptNumber);
    await page().fill('#access-code', code);
    const [response] = await Promise.all([page().waitForResponse((answer) => answer.url().endsWith('/my-cases/link')), page().click('[data-link-form] button[type=submit]')]);
    await page().waitForLoadState('load');
    return response.status();
  }

  /** The case on the page: the API waits a moment for the links projection; on a loaded machine a reload may still be needed. */
  async function listed(receiptNumber: string): Promise<string> {
    const card = `[data-case="${receiptNumber}"]`;
    for (let reloads = 0; reloads < 100 && (await page().locator(card).count()) === 0; reloads++) await page().reload();
    return card;
  }

  it('lets Ana link her case with its access code and shows its private details, in English and Spanish', async () => {
    await signInAs(ana, '/en/my-cases');
    expect(page().url()).toBe(`${site.webUrl}/en/my-cases`);
    await expect(text('h1')).resolves.toBe('My cases');
    await expect(text('[data-no-cases]')).resolves.toBe('No cases are linked to your account yet.');
    expect(await page().getAttribute('[data-link-form] input[name=csrf]', 'value')).toMatch(/.{20,}/);

    // A wrong code: refused, the receipt number kept, the code never shown back.
    expect(await link(RECEIPT, 'W2D8-PZ4M-KQ7C')).toBe(422);
    await expect(text('[data-link-refusal]')).resolves.toMatch(/^That receipt number and access code do not match a case we can link/);
    expect(await page().inputValue('#receipt-number')).toBe(RECEIPT);
    expect(await page().inputValue('#access-code')).toBe('');
    // A code that cannot be one is explained before anything is asked.
    expect(await link(RECEIPT, 'K7QM')).toBe(422);
    await expect(text('#access-code-error')).resolves.toMatch(/^An online access code has 12 letters and digits/);

    // The right code, typed loosely: linked, then back on the page (POST, redirect, GET).
    expect(await link(RECEIPT.toLowerCase(), 'k7qm 4txr 9hpa')).toBe(303);
    expect(page().url()).toBe(`${site.webUrl}/en/my-cases?linked=${RECEIPT}`);
    await expect(text('[data-linked]')).resolves.toBe(`Case ${RECEIPT} is linked to your account.`);
    const card = await listed(RECEIPT);
    await expect(text(`${card} [data-private-status]`)).resolves.toMatch(/2027/);
    await expect(text(`${card} [data-appointments]`)).resolves.toMatch(/^Biometrics appointment: .*2026.*, at office NYC$/);
    await expect(text(`${card} [data-evidence]`)).resolves.toMatch(/^Request rfe-1: due .*2027$/);

    // Linking it again changes nothing: still one card.
    expect(await link(RECEIPT, CODE)).toBe(303);
    expect(await page().locator('[data-case]').count()).toBe(1);

    await page().goto(`${site.webUrl}/es/my-cases`);
    await expect(text('h1')).resolves.toBe('Mis casos');
    await expect(text(`[data-case="${RECEIPT}"] [data-appointments]`)).resolves.toMatch(/^Cita de datos biométricos: .*en la oficina NYC$/);

    await page().goto(`${site.webUrl}/en/my-cases`);
    await signOut();
    await page().goto(`${site.webUrl}/en/my-cases`);
    expect(new URL(page().url()).origin).toBe(site.identityProvider?.issuer);
  });

  it('sends Ben, whose identity is not verified (IAL1), to raise his level instead', async () => {
    await signInAs(ben, '/en/my-cases');
    await expect(text('h1')).resolves.toBe('This page needs a verified identity');
    expect(await page().getAttribute('main a.usa-button', 'href')).toBe('/en/sign-in?return=%2Fmy-cases&level=2');
    expect(await page().locator('[data-link-form]').count()).toBe(0);
    await page().goto(`${site.webUrl}/en/account`);
    await signOut();
  });

  it('limits wrong codes per account, answers an unknown receipt number like a wrong code, links a code to one account only, and never shows Rita Ana’s case', async () => {
    await signInAs(rita, '/en/my-cases');
    await expect(text('[data-no-cases]')).resolves.toBe('No cases are linked to your account yet.');
    // Ana linked it (the first test): its code links her account only, even for someone who has it.
    expect(await link(RECEIPT, CODE)).toBe(409);
    await expect(text('[data-link-refusal]')).resolves.toMatch(/^This access code has already been used to link the case to another account\. A code links one account\./);
    expect(await link(RECEIPT, 'W2D8-PZ4M-KQ7C')).toBe(422);
    const wrongCode = await text('[data-link-refusal]');
    expect(await link('IOE0999999999', CODE)).toBe(422);
    await expect(text('[data-link-refusal]')).resolves.toBe(wrongCode);
    for (let attempt = 3; attempt <= 5; attempt++) expect(await link(RECEIPT, 'W2D8-PZ4M-KQ7C')).toBe(422);
    // The sixth is refused before the code is checked, even the right one.
    expect(await link(RECEIPT, CODE)).toBe(429);
    await expect(text('[data-link-refusal]')).resolves.toMatch(/^Too many codes did not match\. For your security, try again in (60|59) minutes\.$/);
    expect(await page().locator('[data-case]').count()).toBe(0);
    await signOut();
  });

  it('answers a stranger’s request for the private view of Ana’s case with a refusal, whatever it presents', async () => {
    const ask = async (query: string, authorization?: string) => {
      const response = await fetch(`${site.statusUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body: JSON.stringify({ query, variables: { r: RECEIPT } }),
      });
      return (await response.json()) as { data?: { myCases?: { receiptNumber: string }[] } | null; errors?: { extensions: { code: string } }[] };
    };
    const codes = (answer: Awaited<ReturnType<typeof ask>>) => answer.errors?.map((error) => error.extensions.code);
    const myCases = '{ myCases { receiptNumber privateDetails { upcomingAppointments { scheduledFor } } } }';
    const issuer = site.identityProvider?.issuer ?? '';
    const signer = site.personAssertions;
    if (!signer) throw new Error('the site signs no assertions');

    expect(codes(await ask(myCases))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await ask('query ($r: String!) { casePrivateDetails(receiptNumber: $r) { upcomingAppointments { scheduledFor } } }'))).toEqual(['UNAUTHENTICATED']);
    // An assertion naming Ana, signed by anyone but the website.
    const forged = await (await newPersonAssertionKeys()).signer.sign({ issuer, subject: ana.subject, assuranceLevel: 2 });
    expect(codes(await ask(myCases, `Bearer ${forged}`))).toEqual(['UNAUTHENTICATED']);
    // The website's own assertion for Ana at a lower level, and for another person.
    expect(codes(await ask(myCases, `Bearer ${await signer.sign({ issuer, subject: ana.subject, assuranceLevel: 1 })}`))).toEqual(['FORBIDDEN']);
    expect((await ask(myCases, `Bearer ${await signer.sign({ issuer, subject: rita.subject, assuranceLevel: 2 })}`)).data?.myCases).toEqual([]);
    // Ana, as the website names her, sees her case: the refusals above were about who asked.
    expect((await ask(myCases, `Bearer ${await signer.sign({ issuer, subject: ana.subject, assuranceLevel: 2 })}`)).data?.myCases?.map((linked) => linked.receiptNumber)).toEqual([RECEIPT]);
  });

  it('lets Ana unlink her case with the session’s CSRF token: it leaves My cases, and only its code links it again', async () => {
    await signInAs(ana, '/en/my-cases');
    const card = await listed(RECEIPT);
    // Without the form's token (a request another site could make): refused, still linked.
    const forged = await page().request.post(`${site.webUrl}/en/my-cases/unlink`, { form: { receiptNumber: RECEIPT }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page().reload();
    expect(await page().locator(card).count()).toBe(1);

    await Promise.all([page().waitForURL(/unlinked=/), page().click(`${card} [data-unlink-form] button[type=submit]`)]);
    expect(page().url()).toBe(`${site.webUrl}/en/my-cases?unlinked=${RECEIPT}`);
    await expect(text('[data-unlinked]')).resolves.toBe(`Case ${RECEIPT} is no longer linked to your account.`);
    expect(await page().locator('[data-case]').count()).toBe(0);

    // A wrong code does not bring it back; its code does.
    expect(await link(RECEIPT, 'W2D8-PZ4M-KQ7C')).toBe(422);
    expect(await link(RECEIPT, CODE)).toBe(303);
    expect(await page().locator(await listed(RECEIPT)).count()).toBe(1);
    await signOut();
  });
});
