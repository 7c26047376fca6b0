/** Outcomes of a variant's messages over a period. */
export interface VariantCounts {
  /** Messages handed to the provider (sent, delivered, read or failed after sending). */
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  optedOut: number;
}

export const ZERO_COUNTS: VariantCounts = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, optedOut: 0 };

/**
 * Guardrail thresholds, as absolute differences of rates between the variant and the control:
 * - failure rate = failed / sent; halts when the variant's is more than `maxFailureRateIncrease` higher;
 * - opt-out rate = opted out / delivered; halts when more than `maxOptOutRateIncrease` higher;
 * - read rate = read / delivered; halts when more than `maxReadRateDrop` lower.
 * No judgement before the variant has `minSample` sent messages.
 */
export interface Guardrails {
  maxFailureRateIncrease: number;
  maxOptOutRateIncrease: number;
  maxReadRateDrop: number;
  minSample: number;
}

export const DEFAULT_GUARDRAILS: Guardrails = { maxFailureRateIncrease: 0.05, maxOptOutRateIncrease: 0.02, maxReadRateDrop: 0.15, minSample: 100 };

export type GuardrailMetric = 'failure_rate' | 'opt_out_rate' | 'read_rate';

export interface Breach {
  metric: GuardrailMetric;
  variantRate: number;
  controlRate: number;
  /** The allowed difference that was exceeded. */
  limit: number;
}

export type GuardrailVerdict = { verdict: 'insufficient_data'; sent: number; needed: number } | { verdict: 'ok' } | { verdict: 'breach'; breaches: Breach[] };

const rate = (n: number, d: number) => (d > 0 ? n / d : 0);

export interface Rates {
  failureRate: number;
  optOutRate: number;
  readRate: number;
  replyRate: number;
}

export function ratesOf(c: VariantCounts): Rates {
  return { failureRate: rate(c.failed, c.sent), optOutRate: rate(c.optedOut, c.delivered), readRate: rate(c.read, c.delivered), replyRate: rate(c.replied, c.delivered) };
}

/**
 * Compares a variant with the control. While the control itself has fewer than `minSample` messages,
 * its failure and opt-out rates count as 0 (the limits act as absolute ceilings) and read rate is not
 * compared: a canary must not run unguarded just because the control is quiet.
 */
export function evaluateGuardrails(variant: VariantCounts, control: VariantCounts, guardrails: Guardrails): GuardrailVerdict {
  if (variant.sent < guardrails.minSample) return { verdict: 'insufficient_data', sent: variant.sent, needed: guardrails.minSample };
  const v = ratesOf(variant);
  const controlKnown = control.sent >= guardrails.minSample;
  const c = controlKnown ? ratesOf(control) : { failureRate: 0, optOutRate: 0, readRate: 0, replyRate: 0 };
  const breaches: Breach[] = [];
  if (v.failureRate - c.failureRate > guardrails.maxFailureRateIncrease) breaches.push({ metric: 'failure_rate', variantRate: v.failureRate, controlRate: c.failureRate, limit: guardrails.maxFailureRateIncrease });
  if (v.optOutRate - c.optOutRate > guardrails.maxOptOutRateIncrease) breaches.push({ metric: 'opt_out_rate', variantRate: v.optOutRate, controlRate: c.optOutRate, limit: guardrails.maxOptOutRateIncrease });
  if (controlKnown && c.readRate - v.readRate > guardrails.maxReadRateDrop) breaches.push({ metric: 'read_rate', variantRate: v.readRate, controlRate: c.readRate, limit: guardrails.maxReadRateDrop });
  return breaches.length ? { verdict: 'breach', breaches } : { verdict: 'ok' };
}
