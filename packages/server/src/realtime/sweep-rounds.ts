/**
 * Spreads a periodic visit of many items (the keepalive pings of every socket) over the period:
 * a round visits each item once, in `slices` ticks, a share of the items per tick, those that have
 * waited longest first. Ordering by waiting time keeps each item's turns about one period apart,
 * also for an item added during a round (it waits for the next round, where its place matches the
 * time it was added). Items gone by their turn (`stillThere` false) are skipped.
 */
export class SweepRounds<T> {
  private round: T[] = [];
  private share = 0;
  private tick = 0;

  constructor(
    private readonly slices: number,
    private readonly all: () => T[],
    private readonly stillThere: (item: T) => boolean,
    /** When the item last had its turn, or was added. */
    private readonly waitingSince: (item: T) => number,
  ) {}

  /** The items to visit on this tick. */
  next(): T[] {
    if (this.tick++ % this.slices === 0) {
      // Longest waiting last, since turns are taken from the end.
      this.round = this.all().sort((a, b) => this.waitingSince(b) - this.waitingSince(a));
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
