/**
 * A small streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CR/LF or LF line ends,
 * newlines inside quotes), fed in chunks so a large file is never held whole. The delimiter is
 * detected from the header line: comma, or semicolon (spreadsheets in many locales), or tab.
 */
export interface CsvRecord {
  /** 1-based position of the record in the file; the header is record 1, as in a spreadsheet. */
  row: number;
  fields: string[];
  /** Set when the record was cut off by the end of the file inside a quoted field. */
  unterminated?: boolean;
}

export class CsvReader {
  #delimiter: string | undefined;
  #field = '';
  #fields: string[] = [];
  #quoted = false;
  #afterQuote = false;
  #fieldStarted = false;
  #row = 0;
  #pendingCR = false;
  #first = true;
  #buffer = '';

  get delimiter(): string | undefined {
    return this.#delimiter;
  }

  /** Feeds a chunk and returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    if (this.#first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      this.#first = false;
    }
    if (this.#delimiter === undefined) {
      // Wait for the whole header line to choose the delimiter.
      this.#buffer += chunk;
      const end = this.#buffer.search(/\r|\n/);
      if (end < 0) return [];
      const header = this.#buffer.slice(0, end);
      this.#delimiter = detectDelimiter(header);
      chunk = this.#buffer;
      this.#buffer = '';
    }
    return this.#consume(chunk);
  }

  /** Ends the input; returns the last record if the file did not end with a newline. */
  end(): CsvRecord[] {
    if (this.#delimiter === undefined) {
      this.#delimiter = detectDelimiter(this.#buffer);
      const out = this.#consume(this.#buffer);
      this.#buffer = '';
      return [...out, ...this.end()];
    }
    if (this.#quoted) {
      const record = this.#finishRecord();
      return [{ ...record, unterminated: true }];
    }
    if (this.#fieldStarted || this.#fields.length > 0 || this.#field !== '') return [this.#finishRecord()];
    return [];
  }

  #finishRecord(): CsvRecord {
    this.#fields.push(this.#field);
    const record = { row: ++this.#row, fields: this.#fields };
    this.#fields = [];
    this.#field = '';
    this.#quoted = false;
    this.#afterQuote = false;
    this.#fieldStarted = false;
    return record;
  }

  #consume(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.#delimiter!;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.#pendingCR) {
        this.#pendingCR = false;
        if (ch === '\n') continue;
      }
      if (this.#quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            this.#field += '"';
            i++;
          } else {
            // The closing quote, unless the next chunk starts with the quote that doubles it.
            this.#quoted = false;
            this.#afterQuote = true;
          }
        } else this.#field += ch;
        continue;
      }
      if (this.#afterQuote && ch === '"') {
        // The second half of a doubled quote split across chunks.
        this.#field += '"';
        this.#quoted = true;
        this.#afterQuote = false;
        continue;
      }
      this.#afterQuote = false;
      if (ch === d) {
        this.#fields.push(this.#field);
        this.#field = '';
        this.#fieldStarted = true;
      } else if (ch === '\n' || ch === '\r') {
        out.push(this.#finishRecord());
        if (ch === '\r') this.#pendingCR = true;
      } else if (ch === '"' && this.#field === '') {
        this.#quoted = true;
        this.#fieldStarted = true;
      } else {
        // A quote inside an unquoted field is taken literally (lenient, as spreadsheets are).
        this.#field += ch;
        this.#fieldStarted = true;
      }
    }
    return out;
  }
}

function detectDelimiter(header: string): string {
  const count = (c: string) => header.split(c).length - 1;
  const candidates: Array<[string, number]> = [[',', count(',')], [';', count(';')], ['\t', count('\t')]];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0][1] > 0 ? candidates[0][0] : ',';
}

/** Parses a whole CSV text (for request bodies). */
export function parseCsv(text: string): CsvRecord[] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}

/** Reads CSV records from a stream of text chunks. */
export async function* readCsv(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* reader.push(text);
  }
  const rest = decoder.decode();
  if (rest) yield* reader.push(rest);
  yield* reader.end();
}

/** Quotes a value for a CSV field when it needs it. */
export const csvField = (value: string | number | null | undefined): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
