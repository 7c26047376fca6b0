/**
 * A Map that keeps at most `capacity` entries, evicting the oldest inserted first. Used for everything the
 * emulator remembers per message or per customer, so memory stays bounded during long runs.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!super.has(key) && super.size >= this.capacity) {
      const oldest = super.keys().next();
      if (!oldest.done) super.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
