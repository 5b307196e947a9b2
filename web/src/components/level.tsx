import type { RiskLevel } from '../../../shared/schemas/progress.js';
import type { Format } from '../i18n.js';

/** Each level has a shape as well as a colour, and its word: never colour alone. */
const ICONS: Readonly<Record<RiskLevel, string>> = {
  done: '✓',
  on_track: '●',
  at_risk: '▲',
  critical: '■',
  missed: '✕',
  no_data: '○',
};

export function LevelBadge({ level, fmt }: { level: RiskLevel | null; fmt: Format }) {
  if (!level) return <span class="level level-none">—</span>;
  return (
    <span class={`level level-${level}`}>
      <span class="level-icon" aria-hidden="true">
        {ICONS[level]}
      </span>
      {fmt.t.levels[level]}
    </span>
  );
}
