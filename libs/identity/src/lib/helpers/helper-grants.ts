import { createHash } from 'node:crypto';
import { CASE_LINKED, CASE_UNLINKED, parseCaseLinked } from '../case-links/person-stream';

/**
 * Helpers named by the applicant: the grants a person gives other people to read one of their
 * linked cases, as events in the person's own stream (`person-…`, beside `CaseLinked`). The
 * invitation, its acceptance (appended on the helper's behalf) and its revocation all live in
 * the applicant's stream, so one stream's revision orders them: an acceptance and a revocation
 * racing each other cannot both win. Pure: time and ids come in with the command.
 */
export const HELPER_INVITED = 'HelperInvited';
export const HELPER_INVITATION_ACCEPTED = 'HelperInvitationAccepted';
export const HELPER_ACCESS_REVOKED = 'HelperAccessRevoked';
export const HELPER_EVENT_TYPES = [HELPER_INVITED, HELPER_INVITATION_ACCEPTED, HELPER_ACCESS_REVOKED] as const;

/** How long an invitation can be accepted. */
const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;
/** The longest access an applicant can give at once. */
const LONGEST_ACCESS_MS = 366 * 24 * 3600_000;
/** Invitations still open or in force per case: enough for a family, too few to spam from. */
const MOST_GRANTS_PER_CASE = 10;

export interface HelperInvitedData {
  invitationId: string;
  agency: string;
  receiptNumber: string;
  /** SHA-256 of the invited address (lower case): matched against the helper's verified address; the address itself is not kept. */
  emailHash: string;
  /** What the applicant sees of the address: its first character and its domain (`m…@example.org`). */
  emailHint: string;
  /** SHA-256 of the invitation link's token; the token itself is only in the e-mail. */
  tokenHash: string;
  /** When the helper's access ends (ISO 8601). */
  accessUntil: string;
  /** When the invitation can no longer be accepted (ISO 8601). */
  invitationExpiresAt: string;
}
export interface HelperInvitationAcceptedData {
  invitationId: string;
  /** The helper's own person stream. */
  helperStream: string;
}
export interface HelperAccessRevokedData {
  invitationId: string;
}

export type HelperEvent =
  | { type: typeof HELPER_INVITED; data: HelperInvitedData }
  | { type: typeof HELPER_INVITATION_ACCEPTED; data: HelperInvitationAcceptedData }
  | { type: typeof HELPER_ACCESS_REVOKED; data: HelperAccessRevokedData };

export interface Grant extends HelperInvitedData {
  helperStream?: string;
  revoked: boolean;
}

export interface HelperGrantsState {
  /** The cases the person linked, as `agency receiptNumber`. */
  linked: Set<string>;
  grants: Map<string, Grant>;
}

export const initialHelperGrants = (): HelperGrantsState => ({ linked: new Set(), grants: new Map() });

const caseKey = (agency: string, receiptNumber: string) => `${agency} ${receiptNumber}`;

/** Folds one event of a person stream (unknown types and shapes are skipped). */
export function evolveHelperGrants(state: HelperGrantsState, event: { type: string; data: unknown }): HelperGrantsState {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  switch (event.type) {
    case CASE_LINKED: {
      const linked = parseCaseLinked(data);
      if (linked) state.linked.add(caseKey(linked.agency, linked.receiptNumber));
      return state;
    }
    case CASE_UNLINKED: {
      // A case taken off the applicant's account is no longer theirs to share: every grant of it ends.
      const unlinked = parseCaseLinked(data);
      if (!unlinked) return state;
      state.linked.delete(caseKey(unlinked.agency, unlinked.receiptNumber));
      for (const grant of state.grants.values()) if (grant.agency === unlinked.agency && grant.receiptNumber === unlinked.receiptNumber) grant.revoked = true;
      return state;
    }
    case HELPER_INVITED: {
      const invited = parseHelperInvited(data);
      if (invited) state.grants.set(invited.invitationId, { ...invited, revoked: false });
      return state;
    }
    case HELPER_INVITATION_ACCEPTED: {
      const grant = typeof data['invitationId'] === 'string' ? state.grants.get(data['invitationId']) : undefined;
      if (grant && typeof data['helperStream'] === 'string') grant.helperStream = data['helperStream'];
      return state;
    }
    case HELPER_ACCESS_REVOKED: {
      const grant = typeof data['invitationId'] === 'string' ? state.grants.get(data['invitationId']) : undefined;
      if (grant) grant.revoked = true;
      return state;
    }
    default:
      return state;
  }
}

export function parseHelperInvited(data: unknown): HelperInvitedData | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const keys = ['invitationId', 'agency', 'receiptNumber', 'emailHash', 'emailHint', 'tokenHash', 'accessUntil', 'invitationExpiresAt'] as const;
  if (!keys.every((key) => typeof d[key] === 'string')) return null;
  return Object.fromEntries(keys.map((key) => [key, d[key]])) as unknown as HelperInvitedData;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash an invitation keeps of an e-mail address (lower case, trimmed). */
const invitedEmailHash = (email: string) => sha256(`helper-invitation-email\n${email.trim().toLowerCase()}`);
/** The hash an invitation keeps of its link's token. */
export const invitationTokenHash = (token: string) => sha256(`helper-invitation-token\n${token}`);

/** `m…@example.org`: enough for the applicant to tell their invitations apart. */
function emailHintOf(email: string): string {
  const [local, domain] = email.trim().toLowerCase().split('@');
  return `${local.slice(0, 1)}…@${domain}`;
}

/** A grant as it stands at `now`. */
export type GrantState = 'invited' | 'invitation_expired' | 'active' | 'ended' | 'revoked';

export function grantState(grant: { accessUntil: string | Date; invitationExpiresAt: string | Date; accepted: boolean; revoked: boolean }, now: Date): GrantState {
  if (grant.revoked) return 'revoked';
  if (new Date(grant.accessUntil).getTime() <= now.getTime()) return 'ended';
  if (grant.accepted) return 'active';
  return new Date(grant.invitationExpiresAt).getTime() <= now.getTime() ? 'invitation_expired' : 'invited';
}

export type HelperCommand =
  | { type: 'InviteHelper'; invitationId: string; agency: string; receiptNumber: string; email: string; tokenHash: string; accessUntil: Date; now: Date }
  | { type: 'AcceptHelperInvitation'; invitationId: string; tokenHash: string; helperStream: string; applicantStream: string; helperVerifiedEmail: string | undefined; now: Date }
  | { type: 'RevokeHelperAccess'; invitationId: string; now: Date };

export type HelperRefusal =
  | 'CASE_NOT_LINKED'
  | 'ACCESS_UNTIL_NOT_ALLOWED'
  | 'TOO_MANY_HELPERS'
  | 'INVITATION_NOT_FOUND'
  | 'INVITATION_REVOKED'
  | 'INVITATION_ALREADY_ACCEPTED'
  | 'INVITATION_EXPIRED'
  | 'OWN_INVITATION'
  | 'EMAIL_NOT_VERIFIED'
  | 'EMAIL_DOES_NOT_MATCH';

export type HelperDecision = { ok: true; events: HelperEvent[] } | { ok: false; refusal: HelperRefusal };

const refuse = (refusal: HelperRefusal): HelperDecision => ({ ok: false, refusal });

/** What the applicant's stream records for a command, or why it refuses it (checked in a fixed order). */
export function decideHelperGrants(command: HelperCommand, state: HelperGrantsState): HelperDecision {
  switch (command.type) {
    case 'InviteHelper': {
      // Only the person who linked the case can share it: a helper has it through a grant, not a link.
      if (!state.linked.has(caseKey(command.agency, command.receiptNumber))) return refuse('CASE_NOT_LINKED');
      const span = command.accessUntil.getTime() - command.now.getTime();
      if (!(span > 0 && span <= LONGEST_ACCESS_MS)) return refuse('ACCESS_UNTIL_NOT_ALLOWED');
      const open = [...state.grants.values()].filter(
        (grant) => grant.agency === command.agency && grant.receiptNumber === command.receiptNumber && ['invited', 'active'].includes(grantState({ ...grant, accepted: grant.helperStream !== undefined }, command.now)),
      );
      if (open.length >= MOST_GRANTS_PER_CASE) return refuse('TOO_MANY_HELPERS');
      const invitationExpiresAt = new Date(Math.min(command.now.getTime() + INVITATION_LIFETIME_MS, command.accessUntil.getTime()));
      return {
        ok: true,
        events: [
          {
            type: HELPER_INVITED,
            data: {
              invitationId: command.invitationId,
              agency: command.agency,
              receiptNumber: command.receiptNumber,
              emailHash: invitedEmailHash(command.email),
              emailHint: emailHintOf(command.email),
              tokenHash: command.tokenHash,
              accessUntil: command.accessUntil.toISOString(),
              invitationExpiresAt: invitationExpiresAt.toISOString(),
            },
          },
        ],
      };
    }
    case 'AcceptHelperInvitation': {
      const grant = state.grants.get(command.invitationId);
      if (!grant || grant.tokenHash !== command.tokenHash) return refuse('INVITATION_NOT_FOUND');
      if (grant.revoked) return refuse('INVITATION_REVOKED');
      if (grant.helperStream !== undefined) return refuse('INVITATION_ALREADY_ACCEPTED');
      if (grantState({ ...grant, accepted: false }, command.now) !== 'invited') return refuse('INVITATION_EXPIRED');
      if (command.helperStream === command.applicantStream) return refuse('OWN_INVITATION');
      if (!command.helperVerifiedEmail) return refuse('EMAIL_NOT_VERIFIED');
      if (invitedEmailHash(command.helperVerifiedEmail) !== grant.emailHash) return refuse('EMAIL_DOES_NOT_MATCH');
      return { ok: true, events: [{ type: HELPER_INVITATION_ACCEPTED, data: { invitationId: command.invitationId, helperStream: command.helperStream } }] };
    }
    case 'RevokeHelperAccess': {
      const grant = state.grants.get(command.invitationId);
      if (!grant) return refuse('INVITATION_NOT_FOUND');
      // Revoking twice records it once.
      return { ok: true, events: grant.revoked ? [] : [{ type: HELPER_ACCESS_REVOKED, data: { invitationId: command.invitationId } }] };
    }
  }
}
