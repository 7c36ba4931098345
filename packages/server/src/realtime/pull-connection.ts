import type { WebSocket } from 'ws';
import type { ChannelGrant } from './pull-channels.ts';
import type { PushEvent } from './push-event.ts';
import { encodeFrame, type FrameFormat, type FrameInput, storedMid, unstoredMid } from './push-frames.ts';

/** The part of the event log a connection reads to fill what it has not seen. */
export interface EventSource {
  readAfter(userId: number, afterSeq: number, limit: number): Promise<{ seq: number; event: PushEvent }[]>;
}

export interface ConnectionOptions {
  socket: WebSocket;
  grant: ChannelGrant;
  format: FrameFormat;
  source: EventSource;
  serverName: string;
  isDesktop: boolean;
  now: () => Date;
  onError: (error: unknown) => void;
}

/** Frames queued in the socket beyond this mean a client that cannot keep up: it is dropped and resumes later. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const REPLAY_PAGE = 500;

/**
 * Numbers unstored events in this process. A client drops a `mid` it saw lately, so a counter
 * that restarted with each connection would make the first typing notice after a reconnect vanish.
 */
let unstoredSerial = Date.now();

/**
 * One client's socket and its place in the user's event sequence. Stored events go out strictly
 * in sequence order, each once: a live event that is next goes straight out; one that leaves a gap
 * (its announcement came before an earlier one's, or an earlier one's was lost with a crashed
 * process) makes the connection read the gap from the database first. The same reading replays
 * what the client missed when it resumed. Live events seen while reading are kept, not dropped.
 */
export class PullConnection {
  readonly socket: WebSocket;
  readonly grant: ChannelGrant;
  readonly format: FrameFormat;
  readonly isDesktop: boolean;
  readonly statusSubscriptions = new Set<number>();
  /** Highest sequence number sent on this socket. */
  lastSentSeq: number;
  /** Highest `mid` the client acknowledged (`mack:`), for diagnostics. */
  lastAckedMid: string | null = null;
  lastHeardAt: number;
  /** When the keepalive sweep last visited this socket (its opening until then). */
  lastSweptAt: number;
  expiryAnnounced = false;
  private target = 0;
  private readonly held = new Map<number, PushEvent>();
  /** Unstored events that arrived before the resume point was known. */
  private early: PushEvent[] | null = [];
  private reading = false;
  private closed = false;
  private holding = false;

  constructor(private readonly options: ConnectionOptions) {
    this.socket = options.socket;
    this.grant = options.grant;
    this.format = options.format;
    this.isDesktop = options.isDesktop;
    this.lastSentSeq = 0;
    this.lastHeardAt = Date.now();
    this.lastSweptAt = this.lastHeardAt;
  }

  get userId(): number {
    return this.grant.userId;
  }

  get portalId(): number {
    return this.grant.portalId;
  }

  /**
   * Starts sending: everything after `resumeAfter`, up to `knownLast` (the user's last number
   * when the connection registered) and whatever arrived live meanwhile. `first` goes out before
   * anything else (a resync notice).
   */
  begin(resumeAfter: number, knownLast: number, first?: PushEvent): void {
    this.lastSentSeq = resumeAfter;
    this.target = Math.max(this.target, knownLast);
    const early = this.early ?? [];
    this.early = null;
    if (first) this.sendUnstored(first);
    for (const event of early) this.sendUnstored(event);
    this.pump();
  }

  private get started(): boolean {
    return this.early === null;
  }

  /** A stored event for this user, announced after its transaction committed. */
  offerStored(seq: number, event: PushEvent): void {
    if (this.closed || (this.started && seq <= this.lastSentSeq)) return;
    if (!this.started) {
      this.held.set(seq, event);
      this.target = Math.max(this.target, seq);
      return;
    }
    if (seq === this.lastSentSeq + 1 && !this.reading && this.held.size === 0) {
      this.sendStored([{ seq, event }]);
      this.target = Math.max(this.target, seq);
      return;
    }
    this.held.set(seq, event);
    this.target = Math.max(this.target, seq);
    this.pump();
  }

  /** The user's last number as the database has it; anything beyond what was sent is read and sent. */
  noteLatest(seq: number): void {
    if (this.closed || !this.started || seq <= this.target) return;
    this.target = seq;
    this.pump();
  }

  /** Typing, presence, control: sent now, never replayed. */
  sendUnstored(event: PushEvent): void {
    if (this.closed || !this.mayReceive(event)) return;
    if (this.early) {
      if (this.early.length < 100) this.early.push(event);
      return;
    }
    unstoredSerial += 1;
    const mid = unstoredMid(this.lastSentSeq, unstoredSerial);
    this.write([this.frameInput(0, mid, event)]);
  }

  /** A raw text or JSON-RPC reply. */
  sendRaw(data: string): void {
    if (!this.closed) this.socket.send(data);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.held.clear();
    this.socket.close(code, reason);
  }

  markClosed(): void {
    this.closed = true;
    this.held.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends held events that are next in line, and reads the database for any gap before the target. */
  private pump(): void {
    if (this.reading || this.closed) return;
    this.flushHeld();
    if (this.lastSentSeq >= this.target) return;
    this.reading = true;
    this.readGap()
      .catch((error) => {
        this.options.onError(error);
        // The client resumes from its last mid when it reconnects; nothing is lost.
        this.close(1011, 'replay failed');
      })
      .finally(() => {
        this.reading = false;
        if (!this.closed) this.pump();
      });
  }

  private async readGap(): Promise<void> {
    while (!this.closed && this.lastSentSeq < this.target) {
      const page = await this.options.source.readAfter(this.userId, this.lastSentSeq, REPLAY_PAGE);
      const fresh = page.filter((e) => e.seq > this.lastSentSeq);
      if (fresh.length === 0) {
        // Numbers below the target always exist unless pruned meanwhile; reconnecting turns that into a resync.
        this.close(1011, 'history gap');
        return;
      }
      if (fresh[0]?.seq !== this.lastSentSeq + 1) {
        this.close(1011, 'history gap');
        return;
      }
      this.sendStored(fresh);
      for (const e of fresh) this.held.delete(e.seq);
      this.flushHeld();
      if (page.length < REPLAY_PAGE) return;
    }
  }

  private flushHeld(): void {
    for (const seq of [...this.held.keys()]) if (seq <= this.lastSentSeq) this.held.delete(seq);
    const run: { seq: number; event: PushEvent }[] = [];
    let next = this.held.get(this.lastSentSeq + 1);
    while (next) {
      const seq = this.lastSentSeq + 1 + run.length;
      run.push({ seq, event: next });
      this.held.delete(seq);
      next = this.held.get(seq + 1);
    }
    if (run.length > 0) this.sendStored(run);
  }

  private sendStored(events: readonly { seq: number; event: PushEvent }[]): void {
    if (events.length === 0) return;
    this.lastSentSeq = events[events.length - 1]?.seq ?? this.lastSentSeq;
    const visible = events.filter((e) => this.mayReceive(e.event));
    if (visible.length > 0) this.write(visible.map((e) => this.frameInput(e.seq, storedMid(e.seq), e.event)));
  }

  /** An OAuth app's channel carries application events and control commands, never the user's messages. */
  private mayReceive(event: PushEvent): boolean {
    return (
      this.grant.privateChannel.kind !== 'application' || event.moduleId === 'application' || event.moduleId === 'pull'
    );
  }

  private write(inputs: FrameInput[]): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(1013, 'client too slow');
      return;
    }
    this.holdFramesForThisTurn();
    // One frame per event for JSON-RPC (each is acknowledged on its own); batches otherwise.
    if (this.format === 'json-rpc') for (const input of inputs) this.socket.send(encodeFrame(this.format, [input]));
    else this.socket.send(encodeFrame(this.format, inputs));
  }

  /**
   * Frames for this socket made in the same turn of the event loop (a replayed page, the events
   * of one group commit) leave in one system call rather than one each: a loopback write costs
   * tens of microseconds here, far more than the frame's encoding.
   */
  private holdFramesForThisTurn(): void {
    if (this.holding) return;
    const transport = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (!transport) return;
    this.holding = true;
    transport.cork();
    process.nextTick(() => {
      this.holding = false;
      transport.uncork();
    });
  }

  private frameInput(id: number, mid: string, event: PushEvent): FrameInput {
    return {
      id,
      mid,
      channel: this.grant.privateChannel.key,
      event,
      at: this.options.now(),
      serverName: this.options.serverName,
    };
  }
}
