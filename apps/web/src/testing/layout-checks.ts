import type { ElementHandle, Page } from 'playwright-core';

/**
 * Measurements of the rendered page for the WCAG 2.1 AA criteria axe-core cannot judge
 * (reflow, text resize, visible focus, focus order). Each returns what a person would miss,
 * described so a failing test says where; an empty list means nothing was found.
 */

/** How many CSS px the page scrolls sideways (0 when it does not). */
export async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement as Element;
    return root.scrollWidth - root.clientWidth;
  });
}

/**
 * Visible text that cannot be read whole: reaching past the sides of the viewport, or cut
 * off by a box that hides or scrolls its overflow (text in a box one must scroll sideways
 * counts too: at 320 px nothing but a data table may need it). Text only for screen readers
 * (`usa-sr-only`) is left out. `scrollingTables` allows the sideways-scrolling USWDS table
 * container, which keeps every cell reachable, where a two-dimensional table is allowed
 * to need it (text resize; not reflow, where the tables are stacked).
 */
export async function cutOffText(page: Page, options: { scrollingTables: boolean }): Promise<string[]> {
  return page.evaluate(({ scrollingTables }) => {
    const width = document.documentElement.clientWidth;
    const name = (element: Element) => `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.classList.length > 0 ? `.${[...element.classList].join('.')}` : ''}>`;
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('.usa-sr-only, script, style, noscript, template, option, svg')) continue;
      if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const where = `"${text.slice(0, 50)}" in ${name(parent)}`;
      for (const rect of range.getClientRects()) {
        if (rect.width < 1 || rect.height < 1) continue;
        // Moved wholly before the page's start: USWDS's way of keeping text for screen readers
        // (the banner's button text on phones) or until focused (the skip link).
        if (rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0) continue;
        if (scrollingTables && parent.closest('.usa-table-container--scrollable')) continue;
        if (rect.left < -1 || rect.right > width + 1) {
          problems.push(`${where} reaches past the viewport (${Math.round(rect.left)} to ${Math.round(rect.right)} px of ${width})`);
          break;
        }
        let clipped: string | undefined;
        for (let box: Element | null = parent; box && box !== document.documentElement && !clipped; box = box.parentElement) {
          const style = getComputedStyle(box);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const edge = box.getBoundingClientRect();
          if (rect.left < edge.left - 1 || rect.right > edge.right + 1 || rect.top < edge.top - 1 || rect.bottom > edge.bottom + 1) clipped = `${name(box)} (overflow ${style.overflowX} ${style.overflowY})`;
        }
        if (clipped) {
          problems.push(`${where} is cut off by ${clipped}`);
          break;
        }
      }
    }
    return problems;
  }, options);
}

/** Of the elements matching `selectors`, the visible ones that are not wholly within the viewport's width. */
export async function outsideViewportWidth(page: Page, selectors: string[]): Promise<string[]> {
  return page.evaluate((selectors) => {
    const width = document.documentElement.clientWidth;
    return selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)]
        .filter((element) => element.checkVisibility({ visibilityProperty: true }))
        .map((element) => element.getBoundingClientRect())
        .filter((rect) => rect.left < -1 || rect.right > width + 1)
        .map((rect) => `${selector} spans ${Math.round(rect.left)} to ${Math.round(rect.right)} px of ${width}`),
    );
  }, selectors);
}

/** Pairs of the visible elements matching `selectors` whose boxes overlap (by more than a pixel each way). */
export async function overlapping(page: Page, selectors: string[]): Promise<string[]> {
  return page.evaluate((selectors) => {
    const boxes = selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)].filter((element) => element.checkVisibility({ visibilityProperty: true })).map((element) => ({ selector, rect: element.getBoundingClientRect() })),
    );
    const problems: string[] = [];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const across = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const down = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (across > 1 && down > 1) problems.push(`${a.selector} overlaps ${b.selector} (${Math.round(across)} × ${Math.round(down)} px)`);
      }
    }
    return problems;
  }, selectors);
}

/**
 * What the keyboard should reach with Tab, in document order: every visible, enabled element
 * that takes focus and is not taken out of the order by `tabindex="-1"`; of a group of radio
 * buttons only the checked one, or the first when none is (the arrow keys move within it).
 * Named as `describeFocus` names the focused element.
 */
export async function tabStopsInDocumentOrder(page: Page, within = 'body'): Promise<string[]> {
  return page.evaluate(namedElements, within);
}

/** The focused element, named as `tabStopsInDocumentOrder` names its elements ("body" when nothing has focus). */
export async function describeFocus(page: Page): Promise<string> {
  return (await page.evaluate(namedElements, null))[0];
}

/**
 * Runs in the browser (one function, so both lists name elements alike): the tab stops
 * under `within`, or with `null` the focused element; each as a person would point it out.
 */
function namedElements(within: string | null): string[] {
  const name = (element: Element) => {
    const words = (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${words ? ` "${words}"` : ''}`;
  };
  if (within === null) return [name(document.activeElement ?? document.body)];
  const radioGroups = new Set<string>();
  return [...(document.querySelector(within)?.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]') ?? [])]
    .filter((element): element is HTMLElement => element instanceof HTMLElement && element.tabIndex >= 0 && !(element as HTMLInputElement).disabled)
    .filter((element) => (element as HTMLInputElement).type !== 'hidden' && element.checkVisibility({ visibilityProperty: true }) && !element.closest('[inert]'))
    .filter((element) => {
      if (!(element instanceof HTMLInputElement) || element.type !== 'radio') return true;
      const group = `${element.form?.id ?? ''}/${element.name}`;
      if (radioGroups.has(group)) return false;
      const members = [...document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(element.name)}"]`)].filter((radio) => radio.form === element.form);
      if ((members.find((radio) => radio.checked) ?? members[0]) !== element) return false;
      radioGroups.add(group);
      return true;
    })
    .map(name);
}

/**
 * Whether the focused element visibly changes when it has focus: the area around it (where
 * an outline is drawn) is captured focused and unfocused, and the pictures compared. A
 * USWDS radio button's input is moved off screen, so its label, where the focus ring is
 * drawn, is what is looked at. Focus is put back afterwards, so Tab goes on from there.
 */
export async function focusIsVisible(page: Page): Promise<{ element: string; visible: boolean }> {
  const element = await describeFocus(page);
  const focused = (await page.evaluateHandle(() => document.activeElement as HTMLElement)) as ElementHandle<HTMLElement>;
  await transitionsDone(page);
  const area = await focused.evaluate((focused) => {
    const shown = focused instanceof HTMLInputElement && (focused.type === 'radio' || focused.type === 'checkbox') ? (focused.labels?.[0] ?? focused) : focused;
    const rect = shown.getBoundingClientRect();
    const margin = 8;
    const left = Math.max(0, rect.left - margin);
    const top = Math.max(0, rect.top - margin);
    return { x: left, y: top, width: Math.min(innerWidth, rect.right + margin) - left, height: Math.min(innerHeight, rect.bottom + margin) - top };
  });
  if (area.width <= 0 || area.height <= 0) return { element, visible: false };
  const withFocus = await page.screenshot({ clip: area });
  await focused.evaluate((focused) => focused.blur());
  await transitionsDone(page);
  const withoutFocus = await page.screenshot({ clip: area });
  await focused.evaluate((focused) => focused.focus());
  await transitionsDone(page);
  await focused.dispose();
  return { element, visible: !withFocus.equals(withoutFocus) };
}

/** Waits for the page's CSS transitions and animations to end (USWDS's skip link slides in, for one). */
export async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
}
