import { renderToString } from 'preact-render-to-string';
import { AGENCIES } from '@case-status/case-domain';
import { FormTypeOptions } from './components';

describe('the form-type options', () => {
  const value = (agency: string, form?: string) => `${agency}:${form ?? ''}`;

  it('groups every form under its agency and marks the chosen one', () => {
    const html = renderToString(<FormTypeOptions chosen="USCIS:I-130" valueOf={value} />);
    for (const agency of Object.values(AGENCIES)) {
      expect(html).toContain(`<optgroup label="${agency.name}">`);
      for (const form of agency.formTypes) expect(html).toContain(`value="${agency.code}:${form.code}"`);
    }
    expect(html.match(/ selected/g)).toHaveLength(1);
    expect(html).toContain('<option value="USCIS:I-130" selected>');
  });

  it('puts the whole-agency option first in its group, chosen like the others', () => {
    const html = renderToString(<FormTypeOptions chosen="VBA:" valueOf={value} agencyOption={(agency) => ({ value: value(agency), label: `All ${agency} services` })} />);
    expect(html).toContain('<optgroup label="U.S. Citizenship and Immigration Services"><option value="USCIS:">All USCIS services</option>');
    expect(html).toContain('<option value="VBA:" selected>All VBA services</option>');
    expect(html.match(/ selected/g)).toHaveLength(1);
  });
});
