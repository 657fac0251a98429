import { newPersonAssertionKeys, PersonAssertionVerifier } from './person-assertion';

const person = { issuer: 'https://idp.example', subject: 'rita', assuranceLevel: 2 as const, email: 'rita@example.org' };

describe('person assertions and e-mail addresses', () => {
  it('carry the address only when the provider verified it', async () => {
    const { signer, publicKeys } = await newPersonAssertionKeys();
    const verifier = new PersonAssertionVerifier(publicKeys);
    await expect(verifier.verify(`Bearer ${await signer.sign({ ...person, emailVerified: true })}`)).resolves.toEqual({ issuer: person.issuer, subject: 'rita', assuranceLevel: 2, verifiedEmail: 'rita@example.org' });
    for (const emailVerified of [false, undefined]) {
      await expect(verifier.verify(`Bearer ${await signer.sign({ ...person, emailVerified })}`)).resolves.toEqual({ issuer: person.issuer, subject: 'rita', assuranceLevel: 2 });
    }
  });
});
