import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups, so work accepted by this process is picked up at once instead of at the next
 * poll. Across processes the pollers' short intervals cover the gap. Purely an optimisation: nothing
 * depends on a signal arriving.
 */
export class Signals {
  readonly #emitter = new EventEmitter().setMaxListeners(1000);

  /** A message for this sender was queued. */
  outboxQueued(senderId: string): void {
    this.#emitter.emit('outbox', senderId);
  }

  onOutboxQueued(listener: (senderId: string) => void): () => void {
    this.#emitter.on('outbox', listener);
    return () => this.#emitter.off('outbox', listener);
  }

  /** A conversation event of this workspace was committed (the live stream reads at once). */
  conversationChanged(workspaceId: string): void {
    this.#emitter.emit('conversation', workspaceId);
  }

  onConversationChanged(listener: (workspaceId: string) => void): () => void {
    this.#emitter.on('conversation', listener);
    return () => this.#emitter.off('conversation', listener);
  }
}
