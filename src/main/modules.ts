import type { Db } from '../db/database.js';
import type { AfterCommitHandler, AfterCommitHandlers, DomainEventSubscribers, InTransactionSubscriber } from '../domain-events/bus.js';
import type { DomainEventType } from '../domain-events/events.js';
import type { Gate } from '../policy/gate.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import type { AppParts, RouteModule } from '../http/types.js';
import { forgetFacts } from '../runtime/fact-caches.js';
import type { ModuleManifest } from '../manifest/module-manifest.js';
import { consentManifest } from '../consent/manifest.js';
import { contactsManifest } from '../contacts/manifest.js';
import { eventsManifest } from '../events/manifest.js';
import { operationsManifest } from '../operations/manifest.js';
import { outboundManifest } from '../outbound/manifest.js';
import { messagesManifest } from '../messages/manifest.js';
import { Dispatcher } from '../outbound/dispatch/dispatcher.js';
import { sendConfirmationViaOutbound } from '../outbound/send-confirmation.js';
import { preferencesManifest } from '../preferences/manifest.js';
import { confirmationLink } from '../preferences/preference-link.js';
import { privacyManifest } from '../privacy/manifest.js';
import { uploadsManifest } from '../uploads/manifest.js';
import { sendersManifest } from '../senders/manifest.js';
import { templatesManifest } from '../templates/manifest.js';
import { webhooksManifest } from '../webhooks/manifest.js';
import { applyPendingStatuses } from '../webhooks/pending-statuses.js';
import { ReceiptReconciler } from '../webhooks/receipts/receipt-reconciler.js';
import { workspacesManifest } from '../workspaces/manifest.js';
import { auditManifest } from '../audit/manifest.js';
import { peopleManifest } from '../people/manifest.js';
import { conversationsManifest } from '../conversations/manifest.js';
import { ConversationMessageBody, sendIntoConversation, sendManyIntoConversation } from '../outbound/send-into-conversation.js';
import { conversationPeer } from '../outbound/conversation-peer.js';
import { contactCards } from '../contacts/contact-cards.js';
import { usableTemplates } from '../templates/usability/usable-templates.js';
import { consentLedger } from '../consent/ledger-queries.js';
import { botManifest } from '../bot/manifest.js';
import { consoleManifest } from '../console/manifest.js';
import { emulatorPhoneManifest } from '../emulator-phone/manifest.js';
import { searchManifest } from '../search/manifest.js';
import { messagesForIndexing } from '../messages/messages-for-indexing.js';
import { contactsForIndexing } from '../contacts/contacts-for-indexing.js';

const bot = botManifest({ sendMany: sendManyIntoConversation });

/**
 * The composition root's list of modules. Routes are registered, workers started and after-commit
 * handlers run in this order. A new module adds its manifest here, and nowhere else.
 */
export const MODULES: readonly ModuleManifest[] = [
  operationsManifest,
  workspacesManifest,
  peopleManifest,
  // The contact import records consent columns in the consent module's ledger.
  contactsManifest({ consentLedger }),
  // Consent's confirmations are accepted by the outbound module, like any other message, and link to
  // the preferences module's page.
  consentManifest({ sendConfirmation: sendConfirmationViaOutbound, preferenceLink: confirmationLink }),
  preferencesManifest,
  privacyManifest,
  templatesManifest,
  sendersManifest,
  outboundManifest,
  messagesManifest,
  // Files uploaded to send in messages (`mediaId`); the outbound module checks and sends them.
  uploadsManifest,
  webhooksManifest,
  eventsManifest,
  auditManifest,
  // Replies and surveys are accepted by the outbound module, which also knows the sender's channel and
  // the contact; a closed window offers the templates module's usable templates. The bot answers first
  // when a flow answers the sender. The list names its contacts through the contacts module's reader.
  conversationsManifest({ send: sendIntoConversation, messageBody: ConversationMessageBody, peer: conversationPeer, contactCards, usableTemplates, answerFirst: [bot.answerFirst] }),
  // The bot's messages are accepted by the outbound module, like people's replies.
  bot,
  // The web console's files: the app itself reads everything through the routes above.
  consoleManifest,
  // The console's emulator phone: a customer of the built-in emulator (only while it runs).
  emulatorPhoneManifest,
  // Search's indexer reads messages and contacts through their owners' functions.
  searchManifest({ messages: messagesForIndexing, contacts: contactsForIndexing }),
];

/**
 * The policy gates in the order they run, at accept and again at dispatch. Order matters only for
 * which reason is reported first: cheap, decisive gates come first. Every gate a module declares must
 * be placed here (checked at load).
 */
export const GATE_ORDER = ['validity', 'suppression', 'consent', 'template', 'service-window'] as const;

export const GATES: readonly Gate<any, ParleyContext>[] = orderGates(MODULES.flatMap((m) => m.gates ?? []), GATE_ORDER);

/**
 * Every module's routes in the order they are registered, which is the order of the paths in
 * /openapi.json: module by module, as listed in MODULES, except that the messages module's routes (read,
 * cancel, list, dead letters) follow outbound's first routes (send and batch) and come before the rest
 * of outbound's (the gateway), where the API reference has always listed them.
 */
function routesInOrder(modules: readonly ModuleManifest[]): RouteModule[] {
  return modules.flatMap((m) => {
    if (m === messagesManifest) return [];
    const routes = m.routes ?? [];
    if (m !== outboundManifest) return routes;
    const [send, ...rest] = routes;
    return [...(send ? [send] : []), ...(messagesManifest.routes ?? []), ...rest];
  });
}

/**
 * What the HTTP app is built from: every module's routes, and what is forgotten after an API write: the
 * facts accepts reuse, which every module keeps in the context's named caches (`runtime/fact-caches.ts`).
 */
export const APP: AppParts = { routes: routesInOrder(MODULES), afterWrite: [forgetFacts] };

/**
 * Factories of the background workers run by `parley start` and `parley worker`: the dispatcher,
 * wired here because it hands its outcomes to the webhook module, then every module's own.
 */
/** The dispatcher and what goes with it, and the modules' bulk work off the conversation path (a `dispatch` worker thread's work). */
export const DISPATCH_FACTORIES: ReadonlyArray<(ctx: ParleyContext) => BackgroundWorker[]> = [
  (ctx) => {
    const dispatcher = new Dispatcher(ctx, {
      // A status webhook may arrive before the provider id it names is stored: apply the held ones now.
      afterOutcomes: (c, outcomes) => {
        const ids = outcomes.flatMap((o) => (o.kind === 'accepted' ? [o.providerIdHash] : []));
        if (ids.length) applyPendingStatuses(c, ids).catch((err) => c.logger.error({ err }, 'applying held statuses failed'));
      },
    });
    // UltraMsg sends without a receipt are looked up for the senders this dispatcher holds (decision 0007).
    return [dispatcher, new ReceiptReconciler(ctx, () => [...dispatcher.loops.values()].map((r) => r.sender))];
  },
  ...MODULES.flatMap((m) => (m.workers && m.workerThread === 'dispatch' ? [m.workers] : [])),
];

/** The other modules' background workers: the webhook processor and the bot, and the rest (a `process` worker thread's work). */
export const PROCESS_FACTORIES: ReadonlyArray<(ctx: ParleyContext) => BackgroundWorker[]> = MODULES.flatMap((m) => (m.workers && m.workerThread !== 'dispatch' ? [m.workers] : []));

/** Every background worker: `parley worker`, or `parley start`'s one worker thread. */
export const WORKER_FACTORIES: ReadonlyArray<(ctx: ParleyContext) => BackgroundWorker[]> = [...DISPATCH_FACTORIES, ...PROCESS_FACTORIES];

/** Subscribers that run in the publishing transaction, in module order. */
export const IN_TRANSACTION_SUBSCRIBERS: ReadonlyArray<InTransactionSubscriber<Db>> = MODULES.flatMap((m) => m.inTransaction ?? []);

/** Every module's after-commit reactions to domain events, by type, in module order. */
export const DOMAIN_EVENT_HANDLERS: AfterCommitHandlers<ParleyContext> = collectHandlers(MODULES);

/** The domain event bus's subscribers (`createContext` builds the bus with them). */
export const DOMAIN_EVENT_SUBSCRIBERS: DomainEventSubscribers<Db, ParleyContext> = { inTransaction: IN_TRANSACTION_SUBSCRIBERS, afterCommit: DOMAIN_EVENT_HANDLERS };

function orderGates<G extends { readonly name: string }>(gates: readonly G[], order: readonly string[]): G[] {
  const byName = new Map(gates.map((g) => [g.name, g]));
  const unplaced = gates.filter((g) => !order.includes(g.name)).map((g) => g.name);
  const missing = order.filter((name) => !byName.has(name));
  if (unplaced.length || missing.length || byName.size !== gates.length) {
    throw new Error(`GATE_ORDER does not match the modules' gates (unplaced: ${unplaced.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}; or a name is declared twice)`);
  }
  return order.map((name) => byName.get(name)!);
}

function collectHandlers(modules: readonly ModuleManifest[]): AfterCommitHandlers<ParleyContext> {
  const handlers: Record<string, AfterCommitHandler<ParleyContext, any>[]> = {};
  for (const m of modules) {
    for (const [type, list] of Object.entries(m.afterCommit ?? {}) as Array<[DomainEventType, AfterCommitHandler<ParleyContext, any>[]]>) {
      (handlers[type] ??= []).push(...list);
    }
  }
  return handlers as AfterCommitHandlers<ParleyContext>;
}
