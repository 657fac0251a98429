import type { SiteAssets } from '../assets/build-assets';
import type { Language } from '@case-status/case-domain';
import type { Messages } from '../i18n/messages';

/** What every page needs to render: the language and its texts, where it is, the assets. */
export interface PageContext {
  language: Language;
  t: Messages;
  /** The path after the language prefix, with its query, e.g. `/case/IOE0912345678`. */
  path: string;
  assets: Pick<SiteAssets, 'css' | 'siteJs' | 'caseLiveJs' | 'uswdsPath'>;
  /** Time zone instants are shown in, e.g. `America/New_York`. */
  timeZone: string;
  /** When the page was rendered. */
  now: Date;
  /**
   * Sign-in, when the site has an identity provider: `null` offers "Sign in"; a signed-in
   * person gets their name and the CSRF token of the header's sign-out form.
   */
  viewer?: { name: string; csrfToken: string } | null;
}

/** A link to a page of the site in the page's language. */
export function href(context: Pick<PageContext, 'language'>, path: string): string {
  return `/${context.language}${path}`;
}
