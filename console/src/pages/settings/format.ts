/** A timestamp of the API as the reader's locale writes it; a dash when there is none. */
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
