/**
 * Spreads a periodic visit of many items (the keepalive pings of every socket) over the period:
 * a round visits each item once, in `slices` ticks, a share of the items per tick. Items that are
 * gone by their turn (`stillThere` false) are skipped; items added during a round wait for the next.
 */
export class SweepRounds<T> {
  private round: T[] = [];
  private share = 0;
  private tick = 0;

  constructor(
    private readonly slices: number,
    private readonly all: () => T[],
    private readonly stillThere: (item: T) => boolean,
  ) {}

  /** The items to visit on this tick. */
  next(): T[] {
    if (this.tick++ % this.slices === 0) {
      this.round = this.all().reverse();
      this.share = Math.ceil(this.round.length / this.slices);
    }
    const due: T[] = [];
    for (let n = 0; n < this.share && this.round.length > 0; n++) {
      const item = this.round.pop() as T;
      if (this.stillThere(item)) due.push(item);
    }
    return due;
  }
}
