import type { TeamFilter } from '../access/team-scope.js';
import { workspaceEvents, workspaceHead, type ConversationsDb } from './conversation-store.js';
import { HEARTBEAT_MS, heartbeatFrame, itemFrame, itemShows, type StreamItem } from './stream-frames.js';
import { workspaceNotices } from './stream-notices.js';

/**
 * The workspace's stream items after `afterSeq`, in order, at most `limit`: the conversation events and
 * the notices, each read up to `limit`, merged, and cut at `limit` (the smallest seqs of both, so
 * nothing after the cut is skipped: the next read starts there).
 */
export async function streamItems(db: ConversationsDb<any>, workspaceId: string, afterSeq: number, limit: number): Promise<StreamItem[]> {
  const [events, notices] = await Promise.all([workspaceEvents(db, workspaceId, afterSeq, limit), workspaceNotices(db, workspaceId, afterSeq, limit)]);
  if (notices.length === 0) return events;
  return [...events, ...notices].sort((a, b) => a.seq - b.seq).slice(0, limit);
}

/** One connected stream, as the hub sees it (the route owns the socket). */
export interface StreamClient {
  readonly filter: TeamFilter;
  /** The principal's permissions: a notice (`stream-notices.ts`) reaches the clients holding its permission. */
  readonly permissions?: ReadonlySet<string>;
  /** Writes a frame; false when the client fell too far behind and was disconnected. */
  write(frame: string): boolean;
  /** Ends the stream (shutdown, or its maximum age): the client reconnects with `Last-Event-ID`. */
  end(): void;
}

interface Attached {
  readonly client: StreamClient;
  readonly openedAt: number;
  /** The last seq this client has been given or passed over (not its team's): later events only. */
  cursor: number;
  /** Caught up with the workspace's feed: the shared reads fan out to it. */
  live: boolean;
  lastWriteAt: number;
  gone: boolean;
}

/** One workspace's shared reader: one query per tick for all its streams in this process. */
interface Feed {
  readonly workspaceId: string;
  readonly clients: Set<Attached>;
  /** The last seq read from the database; every event up to it has been fanned out. */
  cursor: number;
  readonly ready: Promise<void>;
  timer: NodeJS.Timeout | null;
  reading: boolean;
  readAgain: boolean;
}

export interface StreamHubOptions {
  pollMs: number;
  maxAgeMs: number;
  /** Events read per query. */
  batch?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * The live stream's fan-out in one process. Per workspace with streams open, one feed reads the new
 * conversation events every `pollMs` (and at once when this thread commits one: `wake`) and hands each
 * to the streams whose team filter shows it. Polling the table, not an in-process bus, is what lets a
 * stream see events written by the worker thread or another process over PostgreSQL.
 *
 * A stream that resumes (`Last-Event-ID`) first catches up with its own reads, then joins the feed.
 * Writers of a workspace commit in seq order (`appendEvents`), so reading after a seq never misses an
 * event committed later, and a client's cursor makes each event reach it once.
 */
export class StreamHub {
  readonly #feeds = new Map<string, Feed>();
  readonly #db: ConversationsDb<any>;
  readonly #options: Required<StreamHubOptions>;

  constructor(db: ConversationsDb<any>, options: StreamHubOptions) {
    this.#db = db;
    this.#options = { batch: 500, now: Date.now, onError: () => {}, ...options };
  }

  /** Streams of the workspace open in this process (the connection cap counts these). */
  connections(workspaceId: string): number {
    return this.#feeds.get(workspaceId)?.clients.size ?? 0;
  }

  /**
   * Adds a stream of the workspace, starting after `after` (null: from the head, only what comes). Returns
   * the function that removes it (call it when the socket closes).
   */
  async attach(workspaceId: string, client: StreamClient, after: number | null): Promise<() => void> {
    const feed = this.#feed(workspaceId);
    const now = this.#options.now();
    const attached: Attached = { client, openedAt: now, cursor: 0, live: false, lastWriteAt: now, gone: false };
    feed.clients.add(attached);
    const detach = () => {
      attached.gone = true;
      feed.clients.delete(attached);
      if (feed.clients.size === 0) this.#stop(feed);
    };
    try {
      await feed.ready;
      attached.cursor = after ?? feed.cursor;
      // Catch up with the feed: events the feed already passed are read for this client alone.
      while (!attached.gone && attached.cursor < feed.cursor) {
        const events = await streamItems(this.#db, workspaceId, attached.cursor, this.#options.batch);
        if (events.length === 0) break;
        this.#deliver(attached, events, events.map(itemFrame));
      }
      attached.live = true;
    } catch (error) {
      detach();
      throw error;
    }
    return detach;
  }

  /** A conversation event of the workspace was committed in this thread: read now rather than at the next tick. */
  wake(workspaceId: string): void {
    const feed = this.#feeds.get(workspaceId);
    if (feed) void this.#read(feed);
  }

  /** Ends every stream (shutdown): clients reconnect elsewhere with `Last-Event-ID`. */
  closeAll(): void {
    for (const feed of [...this.#feeds.values()]) {
      for (const attached of [...feed.clients]) attached.client.end();
      this.#stop(feed);
    }
  }

  #feed(workspaceId: string): Feed {
    const existing = this.#feeds.get(workspaceId);
    if (existing) return existing;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const feed: Feed = { workspaceId, clients: new Set(), cursor: 0, ready: new Promise<void>((res, rej) => ((resolve = res), (reject = rej))), timer: null, reading: false, readAgain: false };
    this.#feeds.set(workspaceId, feed);
    workspaceHead(this.#db, workspaceId).then((head) => {
      feed.cursor = head;
      // Its streams may all have gone while the head was read: then nothing is left to poll for.
      if (this.#feeds.get(workspaceId) === feed) feed.timer = setInterval(() => this.#tick(feed), this.#options.pollMs);
      resolve();
    }, (error: unknown) => {
      this.#feeds.delete(workspaceId);
      reject(error);
    });
    return feed;
  }

  #stop(feed: Feed): void {
    if (feed.timer) clearInterval(feed.timer);
    feed.timer = null;
    if (this.#feeds.get(feed.workspaceId) === feed) this.#feeds.delete(feed.workspaceId);
  }

  #tick(feed: Feed): void {
    const now = this.#options.now();
    for (const attached of feed.clients) {
      if (now - attached.openedAt >= this.#options.maxAgeMs) attached.client.end();
      else if (!attached.gone && now - attached.lastWriteAt >= HEARTBEAT_MS) this.#write(attached, heartbeatFrame, now);
    }
    void this.#read(feed);
  }

  /** Reads the feed's new events and fans them out; one read at a time, a wake during it reads again after. */
  async #read(feed: Feed): Promise<void> {
    if (feed.reading) {
      feed.readAgain = true;
      return;
    }
    feed.reading = true;
    try {
      do {
        feed.readAgain = false;
        for (;;) {
          const events = await streamItems(this.#db, feed.workspaceId, feed.cursor, this.#options.batch);
          if (events.length === 0) break;
          feed.cursor = events[events.length - 1]!.seq;
          const frames = events.map(itemFrame);
          for (const attached of feed.clients) if (attached.live) this.#deliver(attached, events, frames);
          if (events.length < this.#options.batch) break;
        }
      } while (feed.readAgain && this.#feeds.get(feed.workspaceId) === feed);
    } catch (error) {
      this.#options.onError(error);
    } finally {
      feed.reading = false;
    }
  }

  /**
   * Gives a client the events after its cursor that its filter shows, in one write (a read's events
   * to 200 streams are 200 writes, not one per event and stream). `frames[i]` is `events[i]`'s frame.
   */
  #deliver(attached: Attached, events: readonly StreamItem[], frames: readonly string[]): void {
    let out = '';
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.seq <= attached.cursor) continue;
      attached.cursor = event.seq;
      if (itemShows(attached.client, event)) out += frames[i];
    }
    if (out && !attached.gone) this.#write(attached, out, this.#options.now());
  }

  #write(attached: Attached, frame: string, now: number): void {
    attached.lastWriteAt = now;
    if (!attached.client.write(frame)) attached.gone = true;
  }
}
