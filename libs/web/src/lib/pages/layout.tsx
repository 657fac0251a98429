/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { href, type PageContext } from './page-context';

interface LayoutProps {
  context: PageContext;
  title: string;
  /** Which primary link is the current section. */
  section?: 'case' | 'processing-times' | 'feedback-results' | 'account' | 'console';
  /** A page in English only (the caseworker console): no link to a Spanish version. */
  englishOnly?: boolean;
  /** Extra scripts after the site's own (e.g. the live updates of a case page). */
  scripts?: string[];
  children: ComponentChildren;
}

/** The page frame: USWDS banner, header with navigation and language switch, main, footer. */
export function Layout({ context, title, section, englishOnly = false, scripts = [], children }: LayoutProps) {
  const { t, language, assets } = context;
  const other = language === 'en' ? 'es' : 'en';
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${t.siteName}`}</title>
        <link rel="stylesheet" href={assets.css} />
        <link rel="icon" type="image/png" href={`${assets.uswdsPath}/img/favicons/favicon-40.png`} />
        {!englishOnly && <link rel="alternate" hrefLang={other} href={`/${other}${context.path}`} />}
        <script src={assets.siteJs} defer />
        {scripts.map((src) => (
          <script src={src} defer key={src} />
        ))}
      </head>
      <body>
        <a class="usa-skipnav" href="#main-content">
          {t.skipToContent}
        </a>
        <Banner context={context} />
        <div class="usa-overlay" />
        <header class="usa-header usa-header--basic">
          <div class="usa-nav-container">
            <div class="usa-navbar">
              <div class="usa-logo">
                <em class="usa-logo__text">
                  <a href={href(context, '/')}>{t.siteName}</a>
                </em>
              </div>
              {!englishOnly && <LanguageSwitch context={context} placement="mobile" />}
              <button type="button" class="usa-menu-btn">
                {t.nav.menu}
              </button>
            </div>
            <nav aria-label={t.nav.label} class="usa-nav">
              <button type="button" class="usa-nav__close">
                <img src={`${assets.uswdsPath}/img/usa-icons/close.svg`} role="img" alt={t.nav.close} />
              </button>
              <ul class="usa-nav__primary usa-accordion">
                <li class="usa-nav__primary-item">
                  <a href={href(context, '/')} class={`usa-nav-link${section === 'case' ? ' usa-current' : ''}`}>
                    <span>{t.nav.checkCase}</span>
                  </a>
                </li>
                <li class="usa-nav__primary-item">
                  <a href={href(context, '/processing-times')} class={`usa-nav-link${section === 'processing-times' ? ' usa-current' : ''}`}>
                    <span>{t.nav.processingTimes}</span>
                  </a>
                </li>
                <li class="usa-nav__primary-item">
                  <a href={href(context, '/feedback/results')} class={`usa-nav-link${section === 'feedback-results' ? ' usa-current' : ''}`}>
                    <span>{t.nav.feedbackResults}</span>
                  </a>
                </li>
                <SignInItems context={context} section={section} />
              </ul>
            </nav>
            {!englishOnly && <LanguageSwitch context={context} placement="desktop" />}
          </div>
        </header>
        <main id="main-content" class="grid-container padding-bottom-6">
          {children}
        </main>
        {/* The footer repeats every primary link: on a phone without JavaScript the menu cannot open. */}
        <footer class="usa-footer usa-footer--slim">
          <div class="grid-container usa-footer__return-to-top">
            <a href="#main-content">{t.footer.returnToTop}</a>
          </div>
          <div class="usa-footer__primary-section">
            <div class="usa-footer__primary-container grid-row">
              <div class="tablet:grid-col-8">
                <nav class="usa-footer__nav" aria-label={`${t.nav.label} (footer)`}>
                  {/* The gutter only where the links sit side by side: on a phone its negative margins reach past the screen. */}
                  <ul class="grid-row tablet:grid-gap-2 desktop:grid-gap-4">
                    <li class="tablet:grid-col-auto usa-footer__primary-content">
                      <a class="usa-footer__primary-link" href={href(context, '/')}>
                        {t.nav.checkCase}
                      </a>
                    </li>
                    <li class="tablet:grid-col-auto usa-footer__primary-content">
                      <a class="usa-footer__primary-link" href={href(context, '/processing-times')}>
                        {t.nav.processingTimes}
                      </a>
                    </li>
                    <li class="tablet:grid-col-auto usa-footer__primary-content">
                      <a class="usa-footer__primary-link" href={href(context, '/feedback/results')}>
                        {t.nav.feedbackResults}
                      </a>
                    </li>
                  </ul>
                </nav>
              </div>
            </div>
          </div>
          <div class="usa-footer__secondary-section">
            <div class="grid-container">
              <p>{t.footer.about}</p>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
}

/**
 * Sign in, or the account and a sign-out button, when the site has sign-in. Signing out is a
 * form POST carrying the session's CSRF token, so another site cannot sign a person out.
 */
function SignInItems({ context, section }: { context: PageContext; section: LayoutProps['section'] }) {
  const { t, viewer } = context;
  if (viewer === undefined) return null;
  if (viewer === null) {
    const back = context.path === '/' || context.path.startsWith('/sign') ? '' : `?return=${encodeURIComponent(context.path)}`;
    return (
      <li class="usa-nav__primary-item">
        <a href={href(context, `/sign-in${back}`)} class="usa-nav-link" data-sign-in>
          <span>{t.nav.signIn}</span>
        </a>
      </li>
    );
  }
  return (
    <>
      <li class="usa-nav__primary-item">
        <a href={href(context, '/account')} class={`usa-nav-link${section === 'account' ? ' usa-current' : ''}`} data-account>
          <span>{t.nav.account}</span>
        </a>
      </li>
      <li class="usa-nav__primary-item">
        <form method="post" action={href(context, '/sign-out')} class="margin-0">
          <input type="hidden" name="csrf" value={viewer.csrfToken} />
          <button type="submit" class="usa-button usa-button--unstyled usa-nav-link" data-sign-out>
            <span>{t.nav.signOut}</span>
          </button>
        </form>
      </li>
    </>
  );
}

/**
 * USWDS's two-language selector: one link to the same page in the other language. As in
 * USWDS's header pattern, it sits in the navbar on small screens and after the navigation on
 * large ones; only one of the two is ever displayed.
 */
function LanguageSwitch({ context, placement }: { context: PageContext; placement: 'mobile' | 'desktop' }) {
  const other = context.language === 'en' ? 'es' : 'en';
  return (
    <div class={`usa-language-container usa-language--small ${placement === 'mobile' ? 'display-block desktop:display-none' : 'display-none desktop:display-block'}`}>
      <ul class="usa-language__primary usa-accordion">
        <li class="usa-language__primary-item">
          <a href={`/${other}${context.path}`} class="usa-button usa-language__link" lang={other} hrefLang={other} aria-label={context.t.languageSwitch.switchTo} data-language-switch>
            {other === 'es' ? 'Español' : 'English'}
          </a>
        </li>
      </ul>
    </div>
  );
}

function Banner({ context }: { context: PageContext }) {
  const { t, assets } = context;
  const img = `${assets.uswdsPath}/img`;
  return (
    <section class="usa-banner" aria-label={t.banner.label}>
      <div class="usa-accordion">
        <header class="usa-banner__header">
          <div class="usa-banner__inner">
            <div class="grid-col-auto">
              <img aria-hidden="true" class="usa-banner__header-flag" src={`${img}/us_flag_small.png`} alt="" width={16} height={11} />
            </div>
            <div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
              <p class="usa-banner__header-text">{t.banner.official}</p>
              <p class="usa-banner__header-action">{t.banner.howYouKnow}</p>
            </div>
            <button type="button" class="usa-accordion__button usa-banner__button" aria-expanded="false" aria-controls="gov-banner">
              <span class="usa-banner__button-text">{t.banner.howYouKnow}</span>
            </button>
          </div>
        </header>
        <div class="usa-banner__content usa-accordion__content" id="gov-banner" hidden>
          <div class="grid-row grid-gap-lg">
            <div class="usa-banner__guidance tablet:grid-col-6">
              <img class="usa-banner__icon usa-media-block__img" src={`${img}/icon-dot-gov.svg`} role="img" alt="" aria-hidden="true" />
              <div class="usa-media-block__body">
                <p>
                  <strong>{t.banner.dotGovHeading}</strong>
                  <br />
                  {t.banner.dotGovText}
                </p>
              </div>
            </div>
            <div class="usa-banner__guidance tablet:grid-col-6">
              <img class="usa-banner__icon usa-media-block__img" src={`${img}/icon-https.svg`} role="img" alt="" aria-hidden="true" />
              <div class="usa-media-block__body">
                <p>
                  <strong>{t.banner.httpsHeading}</strong>
                  <br />
                  {t.banner.httpsBefore} (
                  <span class="icon-lock">
                    <svg xmlns="http://www.w3.org/2000/svg" width="52" height="64" viewBox="0 0 52 64" class="usa-banner__lock-image" role="img" aria-labelledby="banner-lock-description" focusable="false">
                      <title id="banner-lock-title">{t.banner.lockTitle}</title>
                      <desc id="banner-lock-description">{t.banner.lockDescription}</desc>
                      <path
                        fill="#000000"
                        fill-rule="evenodd"
                        d="M26 0c10.493 0 19 8.507 19 19v9h3a4 4 0 0 1 4 4v28a4 4 0 0 1-4 4H4a4 4 0 0 1-4-4V32a4 4 0 0 1 4-4h3v-9C7 8.507 15.507 0 26 0zm0 8c-5.979 0-10.843 4.77-10.996 10.712L15 19v9h22v-9c0-6.075-4.925-11-11-11z"
                      />
                    </svg>
                  </span>
                  ) {t.banner.httpsAfter}
                </p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}
