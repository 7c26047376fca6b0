import os from 'node:os';

/**
 * A speed reading of this core at the time of the run: milliseconds for a fixed loop of integer work.
 * Machines of the same name differ (and a throttled VM differs from minute to minute), so runs are
 * compared with this beside them.
 */
function cpuCalibrationMs(): number {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 200_000_000; i++) x = (x + (i & 7)) | 0;
  if (x === -1) console.log(x); // keeps the loop from being optimised away
  return Math.round(performance.now() - started);
}

/** The machine a benchmark ran on, for the record in bench/RESULTS.md. */
export const machine = () => ({
  cpuCalibrationMs: cpuCalibrationMs(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
});

export const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
