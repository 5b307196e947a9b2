/**
 * The progress bar on stderr, drawn by hand: `[██████░░░░░░]  48 %  day 7/14 2021-03-07 13h`.
 * On a terminal it redraws one line (at most 10 times a second) and notes scroll above it; on
 * anything else (a pipe, CI) it draws no bar and prints only the notes, one line each.
 */

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const WIDTH = 28;
const REDRAW_MS = 100;

export class ProgressBar {
  private done = 0;
  private label = '';
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressSink | null,
    private total: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get tty(): boolean {
    return this.out?.isTTY === true;
  }

  setTotal(total: number): void {
    this.total = Math.max(1, total);
  }

  /** Adds `steps` of work done and redraws (throttled). */
  advance(steps: number, label?: string): void {
    this.done = Math.min(this.total, this.done + steps);
    if (label !== undefined) this.label = label;
    this.draw(false);
  }

  /** Sets the label only. */
  status(label: string): void {
    this.label = label;
    this.draw(false);
  }

  /** A line that stays (above the bar on a terminal). */
  note(line: string): void {
    if (!this.out) return;
    if (this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${line}\n`);
    if (this.tty) this.draw(true);
  }

  /** Clears the bar for good. */
  finish(): void {
    if (this.out && this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** The bar's text (exported for tests): `[████░░░░]  50 %  label`. */
  render(): string {
    const share = this.total > 0 ? this.done / this.total : 0;
    const filled = Math.round(share * WIDTH);
    const percent = String(Math.floor(share * 100)).padStart(3);
    return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${percent} %  ${this.label}`;
  }

  private draw(force: boolean): void {
    if (!this.out || !this.tty) return;
    const t = this.now();
    if (!force && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    let text = this.render();
    const columns = this.out.columns ?? 80;
    if ([...text].length >= columns) text = [...text].slice(0, columns - 1).join('');
    this.out.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }
}
