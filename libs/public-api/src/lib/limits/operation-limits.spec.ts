import { parse } from 'graphql';
import { rootSelections } from './operation-limits';

describe('rootSelections', () => {
  it('counts each alias of a public field as one unit, through named and inline fragments', () => {
    const document = parse(`{ a: caseStatus(receiptNumber: "1") { statusCode } ...More ... on Query { c: caseStatus(receiptNumber: "3") { statusCode } } }
      fragment More on Query { b: caseStatus(receiptNumber: "2") { statusCode } __typename }`);
    expect(rootSelections(document)).toEqual({ total: 4, public: 3, emailSending: 0 });
  });

  it('counts a response key once however often it is spread, as GraphQL runs it once', () => {
    const document = parse('{ ...F ...F a: caseStatus(receiptNumber: "1") { statusCode } } fragment F on Query { a: caseStatus(receiptNumber: "1") { statusCode } }');
    expect(rootSelections(document)).toEqual({ total: 1, public: 1, emailSending: 0 });
  });

  it('counts email-sending fields apart, and takes the largest operation of the document', () => {
    const document = parse(`mutation A { s1: subscribeToCase(receiptNumber: "1", email: "x") { status } s2: subscribeToCase(receiptNumber: "1", email: "y") { status } }
      query B { backlog { pendingCount } }`);
    expect(rootSelections(document)).toEqual({ total: 2, public: 2, emailSending: 2 });
  });

  it('counts helper invitations as email-sending, though they are not public', () => {
    const document = parse('mutation { a: inviteHelper(receiptNumber: "1", email: "x", accessUntil: "2027-01-01") { state } b: inviteHelper(receiptNumber: "1", email: "y", accessUntil: "2027-01-01") { state } }');
    expect(rootSelections(document)).toEqual({ total: 2, public: 0, emailSending: 2 });
  });

  it('does not count caseworker fields as public', () => {
    expect(rootSelections(parse('{ backlog { pendingCount } cases { totalCount } }'))).toEqual({ total: 2, public: 0, emailSending: 0 });
  });
});
