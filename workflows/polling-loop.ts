// The worker's background loops (the webhook notifier, the notification deliverer): call `step`
// again at once while it finds work, wait `pollMs` when it found none or failed, and stop
// promptly. A failed step (the store away for a while) is logged and tried again after the wait:
// what it would have handled stays queued.
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  /** `step` returns how many items it handled; 0 means "nothing due, wait". */
  constructor(
    private readonly name: string,
    private readonly step: () => Promise<number>,
    private readonly pollMs: number,
  ) {}

  start(log: (line: string) => void): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.step();
        } catch (error) {
          log(`${this.name}: ${(error as Error).message}`);
        }
        if (handled === 0 && this.running) await this.idle();
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
