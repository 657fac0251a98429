import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Logger, compileString } from 'sass';

/**
 * The site's CSS and JavaScript, made from USWDS's own sources when the server starts: only
 * the Sass packages the pages use (`site.scss`) and only the behaviours they need
 * (`browser/`). The output is kept in a cache directory under a hash of every input, so a
 * restart with nothing changed reuses it, and file names carry the hash, so browsers may
 * keep them forever. Each file is stored precompressed (Brotli and gzip) as well.
 */

export interface SiteAssets {
  /** Directory served at `/assets/`. */
  dir: string;
  /** URL paths of the built files. */
  css: string;
  siteJs: string;
  caseLiveJs: string;
  /** USWDS's fonts and images, served at `uswdsPath` (versioned, so also cacheable forever). */
  uswdsDist: string;
  uswdsPath: string;
}

interface Manifest {
  css: string;
  siteJs: string;
  caseLiveJs: string;
}

const ASSETS_PATH = '/assets';
const uswdsRoot = packageRoot('@uswds/uswds');
const uswdsVersion = packageVersion('@uswds/uswds');
const USWDS_PATH = `${ASSETS_PATH}/uswds-${uswdsVersion}`;

/** USWDS theme settings: system of tokens as USWDS ships them, Public Sans only, two weights. */
function themeSettings(): string {
  return `@use "uswds-core" with (
  $theme-image-path: "${USWDS_PATH}/img",
  $theme-font-path: "${USWDS_PATH}/fonts",
  $theme-show-notifications: false,
  $theme-show-compile-warnings: false,
  $theme-style-body-element: true,
  $theme-global-paragraph-styles: true,
  $theme-global-link-styles: true,
  $theme-global-content-styles: true,
  $theme-font-type-sans: "public-sans",
  $theme-font-role-heading: "sans",
  $theme-font-role-body: "sans",
  $theme-font-role-ui: "sans",
  $theme-font-weight-light: false,
  $theme-font-weight-medium: false,
  $theme-font-weight-semibold: false,
  $theme-font-weight-heavy: false,
  $theme-utility-breakpoints: ("card": false, "card-lg": false, "mobile": false, "mobile-lg": false, "tablet": true, "tablet-lg": false, "desktop": true, "desktop-lg": false, "widescreen": false),
  $theme-font-type-serif: false,
  $theme-font-type-mono: false,
  $output-these-utilities: ("margin", "margin-vertical", "padding", "font", "color", "display"),
);
`;
}

const sourceDir = join(__dirname, '..', 'browser');
const scssFile = join(__dirname, 'site.scss');
const browserEntries = { site: join(sourceDir, 'site.ts'), 'case-live': join(sourceDir, 'case-live.ts') };

/** Some packages export no `package.json`: walk up from their entry point to it. */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = parent;
  }
  return dir;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageRoot(name), 'package.json'), 'utf8')) as { version: string }).version;
}

function inputHash(): string {
  const hash = createHash('sha256');
  hash.update(themeSettings());
  hash.update(readFileSync(scssFile));
  for (const file of [...Object.values(browserEntries), join(sourceDir, 'live-update.ts')]) hash.update(readFileSync(file));
  for (const pkg of ['@uswds/uswds', 'sass', 'esbuild', 'graphql-ws']) hash.update(`${pkg}@${packageVersion(pkg)}`);
  return hash.digest('hex').slice(0, 16);
}

export interface BuildAssetsOptions {
  /** Where built files are kept between starts; default `dist/web-assets` under the current directory. */
  cacheDir?: string;
  /** Rebuild even when the cache has this version. */
  force?: boolean;
}

/** Builds the assets, or finds them already built for exactly these inputs. */
export async function buildAssets(options: BuildAssetsOptions = {}): Promise<SiteAssets> {
  const cacheDir = options.cacheDir ?? join(process.cwd(), 'dist', 'web-assets');
  const dir = join(cacheDir, inputHash());
  const manifestFile = join(dir, 'manifest.json');
  if (options.force) rmSync(dir, { recursive: true, force: true });
  if (!existsSync(manifestFile)) {
    const staging = `${dir}.${process.pid}.tmp`;
    try {
      await buildInto(staging, dir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  return {
    dir,
    css: `${ASSETS_PATH}/${manifest.css}`,
    siteJs: `${ASSETS_PATH}/${manifest.siteJs}`,
    caseLiveJs: `${ASSETS_PATH}/${manifest.caseLiveJs}`,
    uswdsDist: join(uswdsRoot, 'dist'),
    uswdsPath: USWDS_PATH,
  };
}

/** Built aside and renamed into place, so a second process starting at the same time never serves a half-written directory. */
async function buildInto(staging: string, dir: string): Promise<void> {
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const css = compileString(themeSettings() + readFileSync(scssFile, 'utf8'), {
    loadPaths: [join(uswdsRoot, 'packages')],
    style: 'compressed',
    quietDeps: true,
    logger: Logger.silent,
  }).css;
  const manifest: Manifest = { css: writeHashed(staging, 'site', 'css', css), siteJs: '', caseLiveJs: '' };
  for (const [name, entry] of Object.entries(browserEntries)) {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['es2020'],
      write: false,
      legalComments: 'none',
    });
    const file = writeHashed(staging, name, 'js', result.outputFiles[0].text);
    if (name === 'site') manifest.siteJs = file;
    else manifest.caseLiveJs = file;
  }
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest));
  try {
    renameSync(staging, dir);
  } catch (error) {
    if (!existsSync(join(dir, 'manifest.json'))) throw error;
  }
}

function writeHashed(dir: string, name: string, extension: string, content: string): string {
  const file = `${name}.${createHash('sha256').update(content).digest('hex').slice(0, 12)}.${extension}`;
  const bytes = Buffer.from(content);
  writeFileSync(join(dir, file), bytes);
  writeFileSync(join(dir, `${file}.br`), brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(join(dir, `${file}.gz`), gzipSync(bytes, { level: 9 }));
  return file;
}
