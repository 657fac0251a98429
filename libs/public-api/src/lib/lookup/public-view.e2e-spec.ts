import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getNamedType, isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { publicStatus, foldCase, type CaseEvent } from '@case-status/case-domain';
import { PostgresAccessAudit } from '@case-status/identity';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import { createStatusApp } from '../status.app';

const PUBLIC_FIELDS_DOC = join(__dirname, '../../../../../docs/api/graphql.md');

/** The `Type.field` names docs/api/graphql.md lists as public, between its two markers. */
function documentedPublicFields(): string[] {
  const doc = readFileSync(PUBLIC_FIELDS_DOC, 'utf8');
  const section = /<!-- public fields: begin -->([\s\S]*?)<!-- public fields: end -->/.exec(doc)?.[1];
  if (!section) throw new Error('docs/api/graphql.md has no list of public fields');
  return [...section.matchAll(/`([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)`/g)].map((match) => `${match[1]}.${match[2]}`).sort();
}

/** Every `Type.field` a query can reach from these types, through objects, lists and non-nulls. */
function reachableFields(schema: GraphQLSchema, roots: GraphQLNamedType[]): string[] {
  const seen = new Set<string>();
  const fields = new Set<string>();
  const visit = (type: GraphQLNamedType) => {
    if (!isObjectType(type) || seen.has(type.name)) return;
    seen.add(type.name);
    for (const field of Object.values(type.getFields())) {
      fields.add(`${type.name}.${field.name}`);
      visit(getNamedType(field.type));
    }
  };
  roots.forEach(visit);
  return [...fields].sort();
}

/** A selection of every field of `type`, as deep as it goes (arguments left to their defaults). */
function everything(type: GraphQLNamedType): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
  return `{ ${fields.map((field) => `${field.name} ${everything(getNamedType(field.type))}`).join(' ')} }`;
}

const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T10:00:00Z`;
const events = (receiptNumber: string): CaseEvent[] =>
  [
    { type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType: 'I-130', office: 'NBC' } },
    { type: 'AppointmentScheduled', data: { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-03-02T09:15:00-05:00', office: 'NYC' } },
    { type: 'EvidenceRequested', data: { requestId: 'RFE-7', dueDate: '2026-04-17', description: 'Birth certificate' } },
  ].map((event, i) => ({ ...event, occurredAt: at(5 + i) }) as CaseEvent);

/**
 * The public view carries nothing private, field by field: every field reachable from what
 * an anonymous client can ask (`caseStatus`, `caseStatusChanged`, `estimateAccuracy`) is one that
 * docs/api/graphql.md lists as public, and the list is exactly that set. The private details
 * are refused to anyone not authorised, without saying whether the case exists.
 */
describe('the public view and the private details of a case', () => {
  const readModels = new InMemoryReadModels();
  const receiptNumber = 'IOE0912345601';
  let app: NestFastifyApplication;
  let schema: GraphQLSchema;
  // Private reads are served only where they are audited (its own test: access-audit.e2e-spec.ts).
  const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 2 });
  const auditSchema = `view_audit_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const accessAudit = new PostgresAccessAudit({ pool, schema: auditSchema });
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;

  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { query, variables } });
    return res.json() as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  };

  beforeAll(async () => {
    // The case as the projection words it: the domain's public texts.
    const history = events(receiptNumber);
    const status = publicStatus(foldCase(history), history[history.length - 1]);
    if (!status) throw new Error('the case was not received');
    readModels.put(
      caseView({
        receiptNumber,
        step: status.step,
        statusCode: status.code,
        statusText: status.text,
        nextStep: status.nextStep,
        openEvidenceRequests: [{ requestId: 'RFE-7', dueDate: '2026-04-17', requestedAt: at(7) }],
        upcomingAppointments: [{ kind: 'biometrics', scheduledFor: '2026-03-02T09:15:00-05:00', office: 'NYC' }],
        revision: '2',
      }),
      [
        { eventId: 'e1', eventType: 'CaseReceived', occurredAt: at(5), step: 'received', title: { en: 'Case received', es: 'Caso recibido' } },
        { eventId: 'e2', eventType: 'AppointmentScheduled', occurredAt: at(6), step: 'received', title: { en: 'Biometrics appointment scheduled', es: 'Cita de datos biométricos programada' } },
        { eventId: 'e3', eventType: 'EvidenceRequested', occurredAt: at(7), step: 'evidence', title: { en: 'Evidence requested', es: 'Se pidieron más pruebas' } },
      ],
    );
    [uscisKey, vbaKey] = await Promise.all([signingKey('uscis-1'), signingKey('vba-1')]);
    await accessAudit.migrate();
    app = await createStatusApp({
      accessAudit,
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ USCIS: uscisKey, VBA: vbaKey }),
      rateLimit: false,
      clock: () => new Date('2026-02-01T12:00:00Z'),
      logger: false,
    });
    schema = app.get(GraphQLSchemaHost).schema;
  });

  afterAll(async () => {
    await app?.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`);
    await pool.end();
  });

  it('reaches from the anonymous lookup only fields the API docs list as public, and the docs list every one of them', () => {
    const anonymousRoots = [
      schema.getQueryType()?.getFields()['caseStatus'],
      schema.getSubscriptionType()?.getFields()['caseStatusChanged'],
      schema.getQueryType()?.getFields()['estimateAccuracy'],
    ];
    const reachable = reachableFields(
      schema,
      anonymousRoots.map((field) => {
        if (!field) throw new Error('the schema lost an anonymous lookup field');
        return getNamedType(field.type);
      }),
    );
    expect(reachable).toEqual(documentedPublicFields());
    for (const privateField of ['CasePrivateDetails.statusText', 'Appointment.scheduledFor', 'Appointment.office', 'EvidenceRequest.dueDate']) {
      expect(reachable).not.toContain(privateField);
    }
  });

  it('answers an anonymous lookup of every public field without the appointment’s time or office or the evidence due date', async () => {
    const caseStatus = schema.getQueryType()?.getFields()['caseStatus'];
    if (!caseStatus) throw new Error('no caseStatus');
    const answer = await post(`query ($r: String!) { caseStatus(receiptNumber: $r) ${everything(getNamedType(caseStatus.type))} }`, { r: receiptNumber });
    expect(answer.errors).toBeUndefined();
    const text = JSON.stringify(answer.data);
    expect(text).toContain('We asked you for more evidence.');
    for (const secret of ['2026-03-02', '09:15', 'NYC', 'New York', 'March 2', 'marzo', '2026-04-17', 'April 17', 'abril', 'RFE-7', 'Birth certificate']) expect(text).not.toContain(secret);
  });

  describe('casePrivateDetails', () => {
    const query = 'query ($r: String!) { casePrivateDetails(receiptNumber: $r) { receiptNumber statusText { en es } openEvidenceRequests { requestId dueDate } upcomingAppointments { kind scheduledFor office } } }';

    it('refuses an anonymous reader, the same for a case that exists and one that does not', async () => {
      for (const r of [receiptNumber, 'IOE0999999999']) {
        const answer = await post(query, { r });
        expect(answer.data).toEqual({ casePrivateDetails: null });
        expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
        expect(JSON.stringify(answer)).not.toMatch(/NYC|2026-04-17|No USCIS case/);
      }
    });

    it('refuses a caseworker of another agency and a token without the caseworker role', async () => {
      const vba = await post(query, { r: receiptNumber }, await caseworkerToken(vbaKey, { agency: 'VBA' }));
      expect(vba.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      const representative = await post(query, { r: receiptNumber }, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['representative'] }));
      expect(representative.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      for (const answer of [vba, representative]) expect(JSON.stringify(answer)).not.toMatch(/NYC|2026-04-17/);
    });

    it('shows a caseworker of the agency when and where the person is expected and what evidence is due', async () => {
      const answer = await post(query, { r: receiptNumber }, await caseworkerToken(uscisKey, { agency: 'USCIS' }));
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        casePrivateDetails: {
          receiptNumber,
          statusText: { en: 'We asked you for more evidence. We must receive it by April 17, 2026.', es: 'Le pedimos más pruebas. Debemos recibirlas a más tardar el 17 de abril de 2026.' },
          openEvidenceRequests: [{ requestId: 'RFE-7', dueDate: '2026-04-17' }],
          upcomingAppointments: [{ kind: 'BIOMETRICS', scheduledFor: '2026-03-02T09:15:00-05:00', office: 'NYC' }],
        },
      });
    });
  });
});
