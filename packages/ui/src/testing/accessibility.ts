import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** Accessibility problems axe rates serious or critical, as `rule: target` lines. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

/**
 * Visible buttons, links and fields smaller than `minimum` px in either direction. Links inside
 * running text are exempt, as in WCAG 2.5.5 (a link in a sentence is as tall as the line).
 */
export async function smallTouchTargets(page: Page, minimum = 44): Promise<string[]> {
  return page.evaluate((min) => {
    const small: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('button, a[href], input, textarea, select')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (element.tagName === 'A' && getComputedStyle(element).display === 'inline') continue;
      if (box.height < min || box.width < min) {
        small.push(
          `${element.tagName.toLowerCase()} "${(element.textContent || element.getAttribute('aria-label') || element.id).trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        );
      }
    }
    return small;
  }, minimum);
}
