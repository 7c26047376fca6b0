import type { ParleyContext } from '../../runtime/context.js';
import type { Gate as PolicyGate } from '../../policy/gate.js';

export { PURPOSE_OF_LANE, type GateDecision, type OutboundDraft, type RerouteTarget, type Verdict } from '../../policy/gate.js';

/** A policy gate (policy/gate.ts) whose facts are loaded through the application context. */
export type Gate<F = unknown> = PolicyGate<F, ParleyContext>;
