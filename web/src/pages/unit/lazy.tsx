import { useState } from 'preact/hooks';

/** A section loaded only when opened (so the overview costs no request for it). */
export function Lazy({
  title,
  open,
  id,
  children,
}: {
  title: string;
  open: boolean;
  id: string;
  children: () => preact.ComponentChildren;
}) {
  const [shown, setShown] = useState(open);
  return (
    <details
      class="panel"
      id={id}
      open={open}
      onToggle={(e) => setShown((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <h2>{title}</h2>
      </summary>
      {shown && children()}
    </details>
  );
}
