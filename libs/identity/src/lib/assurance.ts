/**
 * Identity assurance: how sure the identity provider is that the person is who they say
 * (NIST SP 800-63A). Providers say it in the ID token's `acr` claim, each in its own words;
 * the site works with the level those words stand for.
 */

export const IAL1 = 'http://idmanagement.gov/ns/assurance/ial/1';
export const IAL2 = 'http://idmanagement.gov/ns/assurance/ial/2';

/** 1: the person controls an account (self-asserted); 2: their identity was proofed. */
export type AssuranceLevel = 0 | 1 | 2;

/**
 * The `acr` values known out of the box: the idmanagement.gov IAL names (Login.gov's legacy
 * values, and the local provider's) and Login.gov's current ones. Others come by configuration
 * (a Keycloak realm names its own levels).
 */
export const DEFAULT_ACR_LEVELS: Readonly<Record<string, Exclude<AssuranceLevel, 0>>> = {
  [IAL1]: 1,
  [IAL2]: 2,
  'urn:acr.login.gov:auth-only': 1,
  'urn:acr.login.gov:verified': 2,
  'urn:acr.login.gov:verified-facial-match-preferred': 2,
  'urn:acr.login.gov:verified-facial-match-required': 2,
};

/** The level an `acr` stands for; an unknown or absent one counts as none at all. */
export function assuranceLevelOf(acr: string | undefined, levels: Readonly<Record<string, number>> = DEFAULT_ACR_LEVELS): AssuranceLevel {
  const level = acr === undefined ? undefined : levels[acr];
  return level === 1 || level === 2 ? level : 0;
}

/** What to ask the provider for (`acr_values`) when a page needs a level; Login.gov and the local provider both take these. */
export const DEFAULT_ACR_REQUESTS: Readonly<Record<Exclude<AssuranceLevel, 0>, string>> = { 1: IAL1, 2: IAL2 };
