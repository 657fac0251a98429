import { GraphQLError } from 'graphql';
import { formatStatusApiErrors } from './status-errors';

/** What a resolver's failure looks like to Mercurius' error formatter. */
function failedWith(original: Error) {
  const logged: unknown[] = [];
  const execution = { data: undefined, errors: [new GraphQLError(original.message, { originalError: original, path: ['caseStatus'] })] };
  const result = formatStatusApiErrors(execution, { app: { log: { error: (object: unknown) => logged.push(object) } } });
  return { result, logged };
}

describe('status API errors while the database cannot be reached', () => {
  it.each([
    ['a fast restart (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ])('answers %s with SERVICE_UNAVAILABLE and 503, quoting nothing of the driver', (_, error) => {
    const { result, logged } = failedWith(error);
    expect(result.statusCode).toBe(503);
    expect(result.response.errors).toEqual([
      { message: 'The status service cannot reach its data right now. Try again in a few seconds.', path: ['caseStatus'], locations: undefined, extensions: { code: 'SERVICE_UNAVAILABLE' } },
    ]);
    expect(JSON.stringify(result.response)).not.toMatch(/ECONNREFUSED|5432|administrator|terminated/);
    expect(logged).toEqual([]);
  });

  it('still answers any other failure as INTERNAL_SERVER_ERROR, and logs it', () => {
    const { result, logged } = failedWith(Object.assign(new Error('relation "read_models.case_status" does not exist'), { code: '42P01' }));
    expect(result.response.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(result.response)).not.toContain('read_models');
    expect(logged).toHaveLength(1);
  });
});
