import { LOCAL_USERS } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { signInBrowsing } from './testing/signed-in-browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(180_000);

const user = (subject: string) => LOCAL_USERS.find((candidate) => candidate.subject === subject) ?? (() => { throw new Error(`no local user ${subject}`); })();
const [ana, rita] = ['applicant-ana', 'representative-rita'].map(user);
const CODE = 'K7QM-4TXR-9HPA';
const RECEIPT = `IOE08${String(Date.now()).slice(-8)}`;

/**
 * The survey for the signed-in applicant, in Chromium without JavaScript, against the local
 * identity provider, intake, the projections and the status API: Ana links her decided case
 * in My cases and answers its survey from there; Rita, signed in at IAL2 but without the
 * case, gets the page everyone without a proof gets; a signed-in answer without the
 * session's CSRF token is refused.
 */
describe('the survey for the signed-in applicant (real identity provider, intake, projections, status API)', () => {
  const site = new SiteUnderTest({ identity: true, feedback: true });
  const { page, signInAs, signOut, click } = signInBrowsing(site, async () => {
    await site.record(RECEIPT, 'CaseReceived', '2026-06-02T09:00:00Z', { formType: 'I-130', office: 'NBC', accessCodeHash: await hashAccessCode(CODE) });
    const revision = await site.record(RECEIPT, 'DecisionIssued', '2026-11-02T09:00:00Z', { outcome: 'approved' });
    await site.projected(RECEIPT, revision);
  });

  const text = async (selector: string) => (await page().locator(selector).textContent())?.trim();
  const storedResponses = async () =>
    (await site.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${site.schemas.store}".events WHERE stream_id LIKE 'feedback-%'`)).rows[0].n;

  it('refuses Rita, signed in but without the case in her My cases, as it refuses anyone', async () => {
    await signInAs(rita, '/en/my-cases');
    await page().goto(`${site.webUrl}/en/case/${RECEIPT}/feedback`);
    await page().click('label[for="question-satisfaction-1"]');
    const [answer] = await Promise.all([page().waitForResponse((response) => response.request().method() === 'POST'), click('[data-feedback-form] button[type=submit]')]);
    expect(answer.status()).toBe(403);
    await expect(text('h1')).resolves.toBe('How to answer the survey');
    expect(await storedResponses()).toBe(0);
    await signOut();
  });

  it('lets Ana answer the survey of her decided case from My cases, once, and only with her session’s CSRF token', async () => {
    await signInAs(ana, '/en/my-cases');
    await page().fill('#receipt-number', RECEIPT);
    await page().fill('#access-code', CODE);
    await click('[data-link-form] button[type=submit]');
    const card = `[data-case="${RECEIPT}"]`;
    for (let reloads = 0; reloads < 100 && (await page().locator(card).count()) === 0; reloads++) await page().reload();
    await click(`${card} [data-survey]`);
    expect(new URL(page().url()).pathname).toBe(`/en/case/${RECEIPT}/feedback`);
    expect(await page().getAttribute('[data-feedback-form] input[name=csrf]', 'value')).toMatch(/.{20,}/);

    // The same answer from Ana's browser without the form's token: a request another site could make.
    const forged = await page().request.post(`${site.webUrl}/en/case/${RECEIPT}/feedback`, { form: { satisfaction: '1' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('That did not work');
    expect(await storedResponses()).toBe(0);

    await page().click('label[for="question-satisfaction-5"]');
    await click('[data-feedback-form] button[type=submit]');
    expect(new URL(page().url()).pathname).toBe('/en/feedback/thanks');
    expect(await storedResponses()).toBe(1);

    // Once: other answers later are told the case answered.
    await page().goto(`${site.webUrl}/en/case/${RECEIPT}/feedback`);
    await page().click('label[for="question-satisfaction-2"]');
    await click('[data-feedback-form] button[type=submit]');
    await expect(text('h1')).resolves.toBe('You already answered');
    expect(await storedResponses()).toBe(1);

    await page().goto(`${site.webUrl}/en/my-cases`);
    await signOut();
  });
});
