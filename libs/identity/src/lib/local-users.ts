import { IAL1, IAL2 } from './assurance';

/** A person the local identity provider knows, with everything it can say about them. */
export interface LocalUser {
  /** The stable id the provider gives them (`sub`). */
  subject: string;
  email: string;
  name: string;
  /** Development only: typed into the provider's login form. */
  password: string;
  /** The assurance the provider vouches for at sign-in (`acr`). */
  acr: string;
  /** Staff only: roles and agency, released with the `profile` scope. */
  roles?: string[];
  agency?: string;
  /** Who they are for, shown on the provider's login page. */
  role: string;
}

/**
 * The seeded people of the local provider: two applicants (one proofed to IAL2, one only
 * IAL1), a representative, someone an applicant can name as their helper, and a caseworker
 * of each agency (USCIS, VBA). Test data, printed by `npm start`.
 */
export const LOCAL_USERS: readonly LocalUser[] = [
  { subject: 'applicant-ana', email: 'ana.applicant@example.org', name: 'Ana Applicant', password: 'applicant-ana', acr: IAL2, role: 'applicant, identity verified (IAL2)' },
  { subject: 'applicant-ben', email: 'ben.applicant@example.org', name: 'Ben Applicant', password: 'applicant-ben', acr: IAL1, role: 'applicant, not verified (IAL1)' },
  { subject: 'helper-hugo', email: 'hugo.helper@example.org', name: 'Hugo Helper', password: 'helper-hugo', acr: IAL2, role: 'a helper an applicant can invite, IAL2' },
  { subject: 'representative-rita', email: 'rita.representative@example.org', name: 'Rita Representative', password: 'representative-rita', acr: IAL2, role: 'representative (attorney), IAL2' },
  {
    subject: 'caseworker-carl',
    email: 'carl.caseworker@uscis.example.gov',
    name: 'Carl Caseworker',
    password: 'caseworker-carl',
    acr: IAL2,
    roles: ['caseworker'],
    agency: 'USCIS',
    role: 'USCIS caseworker, IAL2',
  },
  {
    subject: 'caseworker-vera',
    email: 'vera.caseworker@vba.example.gov',
    name: 'Vera Caseworker',
    password: 'caseworker-vera',
    acr: IAL2,
    roles: ['caseworker'],
    agency: 'VBA',
    role: 'VBA caseworker, IAL2',
  },
];
