import { randomBytes } from 'node:crypto';
import type { ParleyContext } from '../runtime/context.js';
import { listSenders } from '../senders/sender-queries.js';
import { senderNumberId } from '../channels/sender-identity.js';
import { newId } from '../shared/ids.js';
import type { FlowDefinition } from './flow-schema.js';
import { assignFlow, createFlow, publishVersion } from './flow-store.js';

/**
 * The flow `npm start`'s demo workspace answers with on its second emulated Cloud API number (the first
 * stays the people's, for the tour's replies): a menu, an
 * order number collected and checked, a hand-off to people, a goodbye. It calls no business webhook (the
 * demo has no business system); `examples/flows/` show flows that do. The emulator's customers tap its
 * buttons (their persona), so the conversation runs by itself once a customer writes.
 */
export const DEMO_FLOW: FlowDefinition = {
  name: 'demo-support',
  description: 'The demo workspace\'s support bot.',
  defaultLanguage: 'en',
  start: 'welcome',
  nodes: {
    welcome: {
      type: 'menu',
      style: 'buttons',
      text: { en: 'Hi! I am the demo bot. What can I do for you?', pt: 'Olá! Sou o bot de demonstração. Como posso ajudar?' },
      options: [
        { id: 'hours', title: { en: 'Opening hours', pt: 'Horário' }, next: 'hours' },
        { id: 'order', title: { en: 'Track an order', pt: 'Meu pedido' }, next: 'ask_order' },
        { id: 'person', title: { en: 'Talk to a person', pt: 'Falar com alguém' }, next: 'to_person' },
      ],
    },
    hours: { type: 'send', message: { text: { en: 'We answer every day from 9:00 to 18:00.', pt: 'Atendemos todos os dias das 9:00 às 18:00.' } }, next: 'more' },
    ask_order: {
      type: 'collect',
      field: 'order',
      prompt: { en: 'What is your order number? (4 to 10 digits)', pt: 'Qual é o número do pedido? (4 a 10 dígitos)' },
      retryPrompt: { en: 'An order number has 4 to 10 digits, like 12345.', pt: 'O número do pedido tem de 4 a 10 dígitos, como 12345.' },
      validator: { kind: 'regex', pattern: '^[0-9]{4,10}$' },
      retries: 2,
      next: 'order_noted',
    },
    order_noted: { type: 'send', message: { text: { en: 'Thanks! Order {{vars.order}} is on its way.', pt: 'Obrigado! O pedido {{vars.order}} está a caminho.' } }, next: 'more' },
    more: {
      type: 'menu',
      style: 'buttons',
      text: { en: 'Anything else?', pt: 'Mais alguma coisa?' },
      options: [
        { id: 'again', title: { en: 'Something else', pt: 'Outra coisa' }, next: 'welcome' },
        { id: 'person', title: { en: 'Talk to a person', pt: 'Falar com alguém' }, next: 'to_person' },
        { id: 'done', title: { en: 'No, thanks', pt: 'Não, obrigado' }, next: 'bye' },
      ],
    },
    to_person: { type: 'handoff', reason: 'the customer asked for a person from the menu', message: { text: { en: 'A person will answer you here shortly.', pt: 'Uma pessoa vai responder aqui em breve.' } } },
    bye: { type: 'resolve', message: { text: { en: 'Glad to help. Goodbye!', pt: 'Foi um prazer. Até logo!' } } },
  },
};

/** Demo data: the demo flow, published and answering the workspace's Cloud API sender of `phoneNumberId`. */
export async function seedDemoFlow(ctx: ParleyContext, workspaceId: string, phoneNumberId: string): Promise<void> {
  const sender = (await listSenders(ctx.db, workspaceId)).find((s) => s.provider === 'cloud' && senderNumberId(s) === phoneNumberId);
  if (!sender) return;
  const now = ctx.clock.now();
  const flow = await createFlow(ctx.db, { id: newId('flw', now), workspaceId, name: DEMO_FLOW.name, draft: DEMO_FLOW, sealedSecret: await ctx.keyring.encrypt(workspaceId, randomBytes(32).toString('base64url')), now });
  await publishVersion(ctx.db, { workspaceId, flowId: flow.id, definition: DEMO_FLOW, by: 'system', now });
  await assignFlow(ctx.db, { workspaceId, senderId: sender.id, entry: '', flowId: flow.id, now });
}
