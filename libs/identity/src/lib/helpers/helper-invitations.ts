import { randomBytes, randomUUID } from 'node:crypto';
import { receiptNumberOwner } from '@case-status/case-domain';
import type { JsonObject } from '@case-status/event-contract';
import type { LinkEventStore } from '../case-links/case-linker';
import { personStreamId } from '../case-links/person-stream';
import type { AssertedPerson } from '../case-links/person-assertion';
import { decideHelperGrants, evolveHelperGrants, initialHelperGrants, invitationTokenHash, type HelperCommand, type HelperEvent, type HelperRefusal } from './helper-grants';
import type { PostgresHelperGrants } from './helper-grants.projection';

/**
 * What the invitations need from the event store: reading a stream with its revision, and
 * appending at an expected revision (`EventStore` satisfies it; a lost race is an error whose
 * `code` is `WRONG_EXPECTED_REVISION`).
 */
export interface HelperEventStore extends Pick<LinkEventStore, 'readStream'> {
  appendToStream(streamId: string, events: { id: string; type: string; data: JsonObject; metadata?: JsonObject }[], options: { expectedRevision: bigint | 'no_stream' }): Promise<unknown>;
}

/** Sends the invitation (the notifications lib's `EmailSender` is one). */
export interface InvitationMailer {
  send(email: { to: string; subject: string; text: string; html: string; messageId?: string }): Promise<void>;
}

export type InvitationLanguage = 'en' | 'es';

export type HelperOutcome<T> = { ok: true; value: T } | { ok: false; refusal: HelperRefusal };

export interface HelperInvitationsOptions {
  events: HelperEventStore;
  grants: Pick<PostgresHelperGrants, 'invitationOf'>;
  mailer: InvitationMailer;
  /** The website as browsers reach it: the invitation links to `<websiteUrl>/<language>/helpers/accept?token=…`. */
  websiteUrl: string | (() => string);
  clock?: () => Date;
}

/**
 * Invites, accepts and revokes helpers: reads the applicant's person stream, decides, and
 * appends at the revision it read, so concurrent commands on one person's grants are
 * serialized (the loser reads again and decides again). Sends the invitation by e-mail; the
 * link's token is in the e-mail only, the stream keeps its hash.
 */
export class HelperInvitations {
  constructor(private readonly options: HelperInvitationsOptions) {}

  /** `email` must be a well-formed address (the caller says so otherwise). */
  async invite(applicant: AssertedPerson, input: { receiptNumber: string; email: string; accessUntil: Date; language: InvitationLanguage }): Promise<HelperOutcome<{ invitationId: string }>> {
    const agency = receiptNumberOwner(input.receiptNumber);
    if (!agency) throw new RangeError(`not a receipt number: ${input.receiptNumber}`);
    const token = randomBytes(32).toString('base64url');
    const invitationId = randomUUID();
    const decided = await this.decide(personStreamId(applicant), (now) => ({
      type: 'InviteHelper',
      invitationId,
      agency: agency.code,
      receiptNumber: input.receiptNumber,
      email: input.email,
      tokenHash: invitationTokenHash(token),
      accessUntil: input.accessUntil,
      now,
    }));
    if (!decided.ok) return decided;
    const [invited] = decided.value;
    const invitationExpiresAt = invited.type === 'HelperInvited' ? invited.data.invitationExpiresAt : '';
    try {
      await this.options.mailer.send(invitationEmail({ to: input.email, agency: agency.code, link: `${typeof this.options.websiteUrl === 'string' ? this.options.websiteUrl : this.options.websiteUrl()}/${input.language}/helpers/accept?token=${token}`, invitationExpiresAt, language: input.language, invitationId }));
    } catch (error) {
      // An invitation nobody received is taken back, so the list shows no grant that cannot be accepted.
      await this.revoke(applicant, invitationId);
      throw error;
    }
    return { ok: true, value: { invitationId } };
  }

  /** The signed-in `helper` accepts the invitation whose link carried `token`. */
  async accept(helper: AssertedPerson, token: string): Promise<HelperOutcome<{ invitationId: string; applicantStream: string }>> {
    const tokenHash = invitationTokenHash(token);
    const invitation = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.options.grants.invitationOf(tokenHash) : null;
    if (!invitation) return { ok: false, refusal: 'INVITATION_NOT_FOUND' };
    const helperStream = personStreamId(helper);
    const decided = await this.decide(invitation.applicantStream, (now) => ({
      type: 'AcceptHelperInvitation',
      invitationId: invitation.invitationId,
      tokenHash,
      helperStream,
      applicantStream: invitation.applicantStream,
      helperVerifiedEmail: helper.verifiedEmail,
      now,
    }));
    return decided.ok ? { ok: true, value: invitation } : decided;
  }

  /** The applicant takes a grant back; revoking a revoked grant changes nothing. */
  async revoke(applicant: AssertedPerson, invitationId: string): Promise<HelperOutcome<{ invitationId: string }>> {
    const decided = await this.decide(personStreamId(applicant), (now) => ({ type: 'RevokeHelperAccess', invitationId, now }));
    return decided.ok ? { ok: true, value: { invitationId } } : decided;
  }

  private async decide(stream: string, command: (now: Date) => HelperCommand): Promise<HelperOutcome<HelperEvent[]>> {
    for (let attempt = 0; ; attempt++) {
      const history = await this.options.events.readStream(stream);
      const state = history.reduce((folded, event) => evolveHelperGrants(folded, event), initialHelperGrants());
      const now = (this.options.clock ?? (() => new Date()))();
      const decision = decideHelperGrants(command(now), state);
      if (!decision.ok) return decision;
      if (decision.events.length === 0) return { ok: true, value: [] };
      try {
        await this.options.events.appendToStream(
          stream,
          decision.events.map((event) => ({ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: { occurredAt: now.toISOString(), schemaVersion: 1 } })),
          { expectedRevision: history.at(-1)?.revision ?? 'no_stream' },
        );
        return { ok: true, value: decision.events };
      } catch (error) {
        // Someone else wrote to the stream since it was read: decide again on what it holds now.
        if ((error as { code?: unknown }).code !== 'WRONG_EXPECTED_REVISION' || attempt >= 4) throw error;
      }
    }
  }
}

const TEXTS = {
  en: {
    subject: (agency: string) => `You are invited to follow a ${agency} case`,
    body: (agency: string, until: string) =>
      `Someone with a case at ${agency} invited you to see its details on Case Status.\n\n` +
      `To accept, open the link below and sign in with your verified account, using this e-mail address. The link works once, until ${until}.\n\n` +
      `If you did not expect this, ignore this e-mail: nothing happens unless you accept.`,
    action: 'Accept the invitation',
  },
  es: {
    subject: (agency: string) => `Le invitaron a seguir un caso de ${agency}`,
    body: (agency: string, until: string) =>
      `Una persona con un caso en ${agency} le invitó a ver sus detalles en Case Status.\n\n` +
      `Para aceptar, abra el enlace de abajo e inicie sesión con su cuenta verificada, con esta dirección de correo. El enlace sirve una vez, hasta el ${until}.\n\n` +
      `Si no lo esperaba, ignore este correo: no pasa nada si no acepta.`,
    action: 'Aceptar la invitación',
  },
} as const;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function invitationEmail(input: { to: string; agency: string; link: string; invitationExpiresAt: string; language: InvitationLanguage; invitationId: string }) {
  const texts = TEXTS[input.language];
  const until = `${input.invitationExpiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const body = texts.body(input.agency, until);
  return {
    to: input.to,
    subject: texts.subject(input.agency),
    text: `${body}\n\n${texts.action}: ${input.link}\n`,
    html: `${body
      .split('\n\n')
      .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
      .join('')}<p><a href="${escapeHtml(input.link)}">${escapeHtml(texts.action)}</a></p>`,
    messageId: `<helper-invitation-${input.invitationId}@case-status>`,
  };
}
