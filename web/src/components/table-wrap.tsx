import type { ComponentChildren } from 'preact';

/**
 * A table that scrolls sideways on a narrow screen. A scrolling region must be reachable from the
 * keyboard (WCAG 2.1.1; axe's scrollable-region-focusable), hence its tabIndex.
 */
export function TableWrap({ children, label }: { children: ComponentChildren; label: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take keyboard focus to scroll
    <section class="table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
