import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import type { AfterInbound } from '../conversations/on-inbound.js';
import { intervalWorker } from '../runtime/interval-worker.js';
import { respondAsBot } from './bot-runner.js';
import { BOT_SWEEP_MS, finishStalledRuns } from './bot-sweep.js';
import type { BotPorts } from './ports.js';
import { stopRunOnResolution } from './on-resolution.js';

/**
 * The bot (M4): flows that answer a sender's new conversations before people do (decision 0024,
 * docs/bot-flows.md). Its API: flows, their drafts and immutable published versions, simulation
 * (`flow-routes.ts`), where each answers (`flow-assignment-routes.ts`), the measures and handing a
 * conversation back to the bot (`bot-routes.ts`). It answers customers through the conversations
 * module, which runs `answerFirst` after recording a customer's message and before its assignment
 * engine (`bot-runner.ts`); its sweep finishes what a crash left undone (`bot-sweep.ts`).
 */
export function botManifest(ports: BotPorts): ModuleManifest & { answerFirst: AfterInbound } {
  return {
    name: 'bot',
    routes: [
      lazyRoutes(() => import('./flow-routes.js').then((m) => m.flowRoutes)),
      lazyRoutes(() => import('./flow-assignment-routes.js').then((m) => m.flowAssignmentRoutes)),
      lazyRoutes(() => import('./bot-routes.js').then((m) => m.botRoutes(ports))),
    ],
    afterCommit: { 'conversation.changed': [stopRunOnResolution] },
    workers: (ctx) => [intervalWorker('bot-sweep', BOT_SWEEP_MS, ctx.logger, () => finishStalledRuns(ctx, ports))],
    answerFirst: respondAsBot(ports),
  };
}
