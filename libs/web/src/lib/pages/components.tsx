/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { AGENCIES } from '@case-status/case-domain';

/** USWDS alert; `role` only for messages that appear after an action (errors, results). */
export function Alert({ type, heading, children, headingLevel = 2, role }: { type: 'info' | 'warning' | 'error' | 'success'; heading?: string; children: ComponentChildren; headingLevel?: 2 | 3; role?: 'alert' | 'status' }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class={`usa-alert usa-alert--${type}${heading ? '' : ' usa-alert--slim'} margin-y-3`} role={role}>
      <div class="usa-alert__body">
        {heading && <Heading class="usa-alert__heading">{heading}</Heading>}
        <p class="usa-alert__text">{children}</p>
      </div>
    </div>
  );
}

/** A text input with its label, hint and error, as a USWDS form group. */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  type?: 'text' | 'email';
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'email';
  spellcheck?: boolean;
  autocapitalize?: 'characters' | 'off';
  maxLength?: number;
  width?: 'md' | 'lg' | 'xl';
}) {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ') || undefined;
  const attributes = {
    class: `usa-input${props.width ? ` usa-input--${props.width}` : ''}${props.error ? ' usa-input--error' : ''}`,
    id: props.id,
    name: props.name,
    value: props.value ?? '',
    autocomplete: props.autocomplete,
    inputMode: props.inputMode,
    spellcheck: props.spellcheck,
    autocapitalize: props.autocapitalize,
    maxLength: props.maxLength,
    'aria-describedby': described,
    'aria-invalid': props.error ? ('true' as const) : undefined,
  };
  return (
    <div class={`usa-form-group${props.error ? ' usa-form-group--error' : ''}`}>
      <label class={`usa-label${props.error ? ' usa-label--error' : ''}`} for={props.id}>
        {props.label}
      </label>
      {props.hint && (
        <div class="usa-hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <span class="usa-error-message" id={`${props.id}-error`} role="alert">
          {props.error}
        </span>
      )}
      {props.type === 'email' ? <input type="email" {...attributes} /> : <input type="text" {...attributes} />}
    </div>
  );
}

/**
 * The `<option>`s of a form-type select: one group per agency, its forms as "I-130: name",
 * `valueOf` giving each option's value. `agencyOption` adds a first option for the whole agency.
 */
export function FormTypeOptions({ chosen, valueOf, agencyOption }: { chosen: string | undefined; valueOf: (agency: string, form: string) => string; agencyOption?: (agency: string) => { value: string; label: string } }) {
  return (
    <>
      {Object.values(AGENCIES).map((agency) => {
        const whole = agencyOption?.(agency.code);
        return (
          <optgroup label={agency.name} key={agency.code}>
            {whole && (
              <option value={whole.value} selected={chosen === whole.value}>
                {whole.label}
              </option>
            )}
            {agency.formTypes.map((form) => {
              const value = valueOf(agency.code, form.code);
              return (
                <option value={value} selected={value === chosen} key={value}>
                  {`${form.code}: ${form.name}`}
                </option>
              );
            })}
          </optgroup>
        );
      })}
    </>
  );
}

/**
 * A GET form choosing one form type (or a whole agency, see `FormTypeOptions`) from a select
 * named `name`, and under it the problem with the last choice, if any.
 */
export function FormTypeChooser(props: {
  action: string;
  name: string;
  label: string;
  hint?: string;
  submit: string;
  problem?: string;
  chosen: string | undefined;
  valueOf: (agency: string, form: string) => string;
  agencyOption?: (agency: string) => { value: string; label: string };
}) {
  const hintId = `${props.name}-hint`;
  return (
    <>
      <form class="usa-form usa-form--large" method="get" action={props.action}>
        <label class="usa-label" for={props.name}>
          {props.label}
        </label>
        {props.hint && (
          <div class="usa-hint" id={hintId}>
            {props.hint}
          </div>
        )}
        <select class="usa-select" id={props.name} name={props.name} aria-describedby={props.hint ? hintId : undefined}>
          <FormTypeOptions chosen={props.chosen} valueOf={props.valueOf} agencyOption={props.agencyOption} />
        </select>
        <button class="usa-button margin-top-2" type="submit">
          {props.submit}
        </button>
      </form>
      {props.problem && (
        <Alert type="error" role="alert">
          {props.problem}
        </Alert>
      )}
    </>
  );
}
