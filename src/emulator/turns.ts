/**
 * One page of one long reply (or one pipelined request) per turn of the event loop, taking
 * turns. Each
 * setImmediate callback of a turn runs before the loop reads sockets again, so when every long
 * reply queued its own, a turn grew with their number (250 replies: over a second without
 * reading a socket, a client's close seen only a turn later). Here a turn holds one page, and
 * between two pages the server reads, accepts and answers everything else.
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves when it is this caller's turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // The caller's page runs in the microtasks right after this callback, in this turn.
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
