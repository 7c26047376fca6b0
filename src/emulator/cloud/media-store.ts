import { createHash } from 'node:crypto';
import { newGraphId } from '../shared/ids.js';

export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  filename?: string;
  phoneNumberId: string;
  at: number;
}

/**
 * Uploaded and inbound media, kept in memory up to `maxBytes` in total; the oldest go first. Also kept:
 * the metadata of evicted ids is not, so an evicted id answers like an expired one (Meta: 30 days).
 */
export class MediaStore {
  #items = new Map<string, StoredMedia>();
  #bytes = 0;
  constructor(private readonly maxBytes: number) {}

  put(input: { bytes: Buffer; mimeType: string; filename?: string; phoneNumberId: string; at: number }): StoredMedia {
    const item: StoredMedia = { ...input, id: newGraphId(), sha256: createHash('sha256').update(input.bytes).digest('hex') };
    this.#items.set(item.id, item);
    this.#bytes += item.bytes.length;
    for (const [id, old] of this.#items) {
      if (this.#bytes <= this.maxBytes || id === item.id) break;
      this.#items.delete(id);
      this.#bytes -= old.bytes.length;
    }
    return item;
  }

  get(id: string): StoredMedia | undefined {
    return this.#items.get(id);
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  delete(id: string): boolean {
    const item = this.#items.get(id);
    if (!item) return false;
    this.#items.delete(id);
    this.#bytes -= item.bytes.length;
    return true;
  }

  clear(): void {
    this.#items.clear();
    this.#bytes = 0;
  }

  get totalBytes(): number {
    return this.#bytes;
  }
}
