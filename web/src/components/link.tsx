import type { ComponentChildren } from 'preact';
import { navigate } from '../router.js';

/** An ordinary link (open in a new tab works) that navigates in place on a plain click. */
export function Link({
  href,
  children,
  class: cls,
  label,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
  label?: string;
}) {
  return (
    <a
      href={href}
      class={cls}
      aria-label={label}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
