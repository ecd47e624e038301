import type { Locator, Page } from 'playwright-core';

/**
 * What does not fit at this width: the document scrolling sideways, or a visible control
 * (input, select, button) sticking out of the card it is in. An empty list when all is well.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the document is ${root.scrollWidth} px wide in ${root.clientWidth} px`);
    for (const control of document.querySelectorAll<HTMLElement>('input, select, button')) {
      const box = control.getBoundingClientRect();
      const card = control.closest('.card');
      if (!card || (box.width === 0 && box.height === 0)) continue; // hidden, or not in a card
      const outer = card.getBoundingClientRect();
      if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5) {
        problems.push(`#${control.id || control.textContent} spans ${box.left}-${box.right}, its card ${outer.left}-${outer.right}`);
      }
    }
    return problems;
  });
}

/** How many lines a text element's text takes, and whether it is wider than its box. */
export function textLines(element: Locator): Promise<{ lines: number; overflows: boolean }> {
  return element.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    // One rectangle per line box the text is laid out in.
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return { lines: tops.size, overflows: node.scrollWidth > node.clientWidth };
  });
}
