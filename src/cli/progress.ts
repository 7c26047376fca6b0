/**
 * A progress line for long jobs on standard error: on a terminal it rewrites itself in place
 * (a few times a second); otherwise (a log, a pipe) it prints a line at most every few seconds, so
 * logs stay readable. Always prints a final line.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #label: string;
  readonly #total: number;
  readonly #started = Date.now();
  #lastPrint = 0;
  #lastLength = 0;

  constructor(stream: NodeJS.WriteStream, label: string, total: number) {
    this.#stream = stream;
    this.#label = label;
    this.#total = total;
  }

  update(done: number, extra = '', final = false): void {
    const now = Date.now();
    const interval = this.#stream.isTTY ? 200 : 2000;
    if (!final && now - this.#lastPrint < interval) return;
    this.#lastPrint = now;
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const percent = this.#total > 0 ? Math.floor((done / this.#total) * 100) : 100;
    const line = `${this.#label}: ${done.toLocaleString('en-US')}/${this.#total.toLocaleString('en-US')} rows (${percent}%), ${rate.toLocaleString('en-US')} rows/s${extra ? `, ${extra}` : ''}`;
    if (this.#stream.isTTY) {
      this.#stream.write(`\r${line.padEnd(this.#lastLength)}${final ? '\n' : ''}`);
      this.#lastLength = line.length;
    } else {
      this.#stream.write(`${line}\n`);
    }
  }
}
