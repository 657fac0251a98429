import type { JSONWebKeySet } from 'jose';
import type { CaseLinker, HelperInvitations, PostgresCaseLinks, PostgresHelperGrants, PostgresRepresentatives } from '@case-status/identity';
import type { ProvidedBy } from '../shared/provided-by';

/** "My cases" and "My clients": people link cases with their online access codes and read them, representatives read the cases they are of record on (docs/identity.md). */
export interface StatusMyCasesOptions {
  /** Checks access codes and records links and unlinks (`new CaseLinker({ events: store, attempts })`). */
  linker: ProvidedBy<Pick<CaseLinker, 'link' | 'unlink'>>;
  /** Reads the links projection (`new PostgresCaseLinks({ connection, schema })`). */
  links: ProvidedBy<Pick<PostgresCaseLinks, 'linkedCases'>>;
  /** Reads the representatives projection, for "My clients" (`new PostgresRepresentatives({ connection, schema })`). */
  representatives: ProvidedBy<Pick<PostgresRepresentatives, 'casesOf'>>;
  /** Helpers named by applicants; without them the helper fields answer LINKING_UNAVAILABLE. */
  helpers?: {
    /** Invites (by e-mail), accepts and revokes (`new HelperInvitations({ events: store, grants, mailer, websiteUrl })`). */
    invitations: ProvidedBy<Pick<HelperInvitations, 'invite' | 'accept' | 'revoke'>>;
    /** Reads the helper grants projection (`new PostgresHelperGrants({ connection, schema })`). */
    grants: ProvidedBy<Pick<PostgresHelperGrants, 'grantsOf' | 'grantOf' | 'sharedWith'>>;
  };
  /** The website's public keys for person assertions (PERSON_ASSERTION_PUBLIC_KEYS). */
  assertionKeys: JSONWebKeySet;
}

export const CASE_LINKER = Symbol('CASE_LINKER');
export const CASE_LINKS = Symbol('CASE_LINKS');
export const REPRESENTATIVES = Symbol('REPRESENTATIVES');
export const PERSON_ASSERTION_VERIFIER = Symbol('PERSON_ASSERTION_VERIFIER');
export const HELPER_INVITATIONS = Symbol('HELPER_INVITATIONS');
export const HELPER_GRANTS = Symbol('HELPER_GRANTS');
