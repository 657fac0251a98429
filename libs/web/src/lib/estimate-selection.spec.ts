import { estimateSelection, type SchemaTypes } from './estimate-selection';

const scalar = (name: string) => ({ name, args: [], type: { kind: 'NON_NULL', name: null, ofType: { kind: 'SCALAR', name: 'String' } } });
const object = (name: string, type: string, nullable = true) => ({
  name,
  args: [],
  type: nullable ? { kind: 'OBJECT', name: type } : { kind: 'NON_NULL', name: null, ofType: { kind: 'OBJECT', name: type } },
});

const BASE: SchemaTypes = [
  { name: 'BilingualText', kind: 'OBJECT', fields: [scalar('en'), scalar('es')] },
  { name: 'EstimatedDate', kind: 'OBJECT', fields: [scalar('date'), scalar('probability'), scalar('atRisk'), scalar('ageDays')] },
];

describe('asking for the estimate the schema has', () => {
  it('leaves the estimate out when CaseStatus has no such field', () => {
    expect(estimateSelection([...BASE, { name: 'CaseStatus', kind: 'OBJECT', fields: [scalar('statusCode')] }])).toBeNull();
  });

  it('asks for the parts the page shows, as far as the schema has them', () => {
    const types: SchemaTypes = [
      ...BASE,
      { name: 'CaseStatus', kind: 'OBJECT', fields: [scalar('statusCode'), object('estimate', 'CaseEstimate')] },
      {
        name: 'CaseEstimate',
        kind: 'OBJECT',
        fields: [
          scalar('asOf'),
          object('likelyBy', 'EstimatedDate'),
          object('disclaimer', 'BilingualText', false),
          scalar('sampleSize'),
          { name: 'summaryText', args: [{ type: { kind: 'NON_NULL' }, defaultValue: null }], type: { kind: 'SCALAR', name: 'String' } },
        ],
      },
    ];
    expect(estimateSelection(types)).toBe('{ asOf likelyBy { date probability atRisk } disclaimer { en es } }');
  });
});
