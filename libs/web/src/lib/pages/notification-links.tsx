/** @jsxRuntime automatic @jsxImportSource preact */
import { Layout } from './layout';
import type { PageContext } from './page-context';

/**
 * The pages the links in emails open. Opening one only shows a button; the button's POST
 * does the work, because mail scanners open every link in a message and must not confirm
 * or unsubscribe anyone.
 */
export function TokenActionPage({ context, kind, token }: { context: PageContext; kind: 'confirm' | 'unsubscribe'; token: string }) {
  const texts = context.t[kind];
  return (
    <Layout context={context} title={texts.title}>
      <div class="usa-prose margin-top-4">
        <h1>{texts.title}</h1>
        <p>{texts.body}</p>
      </div>
      <form class="usa-form" method="post" action={`/${context.language}/notifications/${kind}?token=${encodeURIComponent(token)}`}>
        <button class={`usa-button${kind === 'unsubscribe' ? ' usa-button--secondary' : ''}`} type="submit">
          {texts.button}
        </button>
      </form>
    </Layout>
  );
}
