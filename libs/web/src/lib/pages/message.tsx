/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { Alert } from './components';
import { Layout } from './layout';
import type { PageContext } from './page-context';

/** A page that says one thing: a result, a refusal, a failure. */
export function MessagePage(props: {
  context: PageContext;
  title: string;
  type: 'info' | 'warning' | 'error' | 'success';
  body: string;
  section?: 'case' | 'processing-times';
  children?: ComponentChildren;
}) {
  return (
    <Layout context={props.context} title={props.title} section={props.section}>
      <h1 class="margin-top-4">{props.title}</h1>
      <Alert type={props.type} role={props.type === 'error' || props.type === 'warning' ? 'alert' : 'status'}>
        {props.body}
      </Alert>
      {props.children}
    </Layout>
  );
}
