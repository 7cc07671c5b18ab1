/**
 * At most `lines` log lines per `windowMs` for one kind of event; what is over is counted and said in one line when
 * the next window opens. For lines whose rate an outsider sets (refused requests): a flood of them must not become
 * a flood of log lines, nor hide the lines that matter.
 */
export class LogBudget {
  private windowStart = -Infinity;
  private used = 0;
  private suppressed = 0;

  constructor(
    private readonly lines: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    /** Told how many lines were left out of the window that just ended. */
    private readonly onSuppressed: (count: number, windowMs: number) => void,
  ) {}

  /** True when this line may be written. */
  take(): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) this.onSuppressed(this.suppressed, this.windowMs);
      this.windowStart = now;
      this.used = 0;
      this.suppressed = 0;
    }
    if (this.used < this.lines) {
      this.used++;
      return true;
    }
    this.suppressed++;
    return false;
  }
}
