import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * A bot flow as data: the JSON Schema published for authors (`FlowDefinition`), checked first by
 * shape and then by meaning (`validate-flow.ts`: edges, reachability, loops, Meta's limits).
 *
 * Terminology
 * - node: one step, named by its key in `nodes`; `next` and the other edges name nodes.
 * - customer turn: a node that waits for the customer (`menu`, `collect`, `intent`); a loop must pass one.
 * - variables: what the flow collected (`collect`) or a business webhook answered (`webhook.map`),
 *   written `{{vars.name}}` in texts; `{{contact.name}}` and `{{contact.attributes.x}}` read the contact.
 */

const NodeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'A node\'s key in `nodes`.' });
const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const Translated = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Record(Type.String({ minLength: 2, maxLength: 16 }), schema, { description: 'By language code; the customer\'s language, else the flow\'s default.' })]);

/** A message the bot sends: text (with placeholders) or media with a caption. */
export const BotMessage = Type.Union([
  Type.Object({ text: Translated(Text(4096)) }, { additionalProperties: false }),
  Type.Object({ image: Type.Object({ link: Type.String({ minLength: 1, maxLength: 2000 }), caption: Type.Optional(Translated(Text(1024))) }, { additionalProperties: false }) }, { additionalProperties: false }),
  Type.Object({ document: Type.Object({ link: Type.String({ minLength: 1, maxLength: 2000 }), filename: Type.Optional(Text(240)), caption: Type.Optional(Translated(Text(1024))) }, { additionalProperties: false }) }, { additionalProperties: false }),
]);

const MenuOption = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: 'Sent back by WhatsApp when tapped; unique in the menu.' }),
    /** Checked against Meta's limits when the flow is published: 20 characters for a button, 24 for a list row. */
    title: Translated(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Translated(Type.String({ minLength: 1, maxLength: 200 }))),
    next: NodeId,
  },
  { additionalProperties: false },
);

const Validator = Type.Union([
  Type.Object({ kind: Type.Literal('choice'), options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('number'), min: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })), max: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })), integer: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('email') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('date'), future: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('phone') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('regex'), pattern: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('location') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('image') }, { additionalProperties: false }),
]);
export type Validator = Static<typeof Validator>;

const Condition = Type.Object(
  {
    var: Type.String({ minLength: 1, maxLength: 100, description: '`vars.x`, `contact.tags`, `contact.attributes.x`, `contact.language`.' }),
    op: Type.Union([Type.Literal('eq'), Type.Literal('ne'), Type.Literal('gt'), Type.Literal('lt'), Type.Literal('contains'), Type.Literal('exists'), Type.Literal('in')]),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

const node = <K extends string, T extends Record<string, TSchema>>(type: K, props: T) => Type.Object({ type: Type.Literal(type), ...props }, { additionalProperties: false });

/** Each node type's schema, by its `type`. */
export const NODE_SCHEMAS = {
  send: node('send', { message: BotMessage, next: NodeId }),
  menu: node('menu', {
    text: Translated(Text(4096)),
    /** `buttons` (up to 3) or `list` (up to 10 rows); chosen by the number of options when absent. */
    style: Type.Optional(Type.Union([Type.Literal('buttons'), Type.Literal('list')])),
    button: Type.Optional(Translated(Type.String({ minLength: 1, maxLength: 100, description: 'A list\'s button text (Meta: up to 20 characters).' }))),
    options: Type.Array(MenuOption, { minItems: 1, maxItems: 50 }),
    /** Where a message that picks no option goes (counted as a misunderstanding). */
    otherwise: Type.Optional(NodeId),
  }),
  collect: node('collect', {
    field: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
    prompt: Translated(Text(4096)),
    validator: Validator,
    retryPrompt: Type.Optional(Translated(Text(4096))),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, default: 2 })),
    next: NodeId,
    /** Where the flow goes when the retries are spent; a hand-off when absent. */
    onFail: Type.Optional(NodeId),
  }),
  intent: node('intent', {
    prompt: Type.Optional(Translated(Text(4096))),
    routes: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), NodeId, { description: 'Intent name → node.' }),
    otherwise: Type.Optional(NodeId),
  }),
  faq: node('faq', {
    entries: Type.Array(Type.Object({ intent: Type.String({ minLength: 1, maxLength: 64 }), answer: BotMessage }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
    next: NodeId,
    otherwise: Type.Optional(NodeId),
  }),
  webhook: node('webhook', {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Sent as the JSON body, placeholders filled. */
    body: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown())),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000, default: 5000 })),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5, default: 1 })),
    /** Response fields into variables: `{ "status": "order.status" }` reads `order.status` of the answer into `vars.status`. */
    map: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.String({ minLength: 1, maxLength: 200 }))),
    next: NodeId,
    /** Taken on a timeout, a non-2xx answer, or an answer that is not JSON or lacks a mapped field. */
    onError: NodeId,
  }),
  set: node('set', {
    attributes: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Union([Type.String({ maxLength: 1000 }), Type.Number({ minimum: -1e15, maximum: 1e15 }), Type.Boolean(), Type.Null()]))),
    addTags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    removeTags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    next: NodeId,
  }),
  branch: node('branch', {
    cases: Type.Array(Type.Object({ when: Type.Array(Condition, { minItems: 1, maxItems: 10 }), next: NodeId }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    otherwise: NodeId,
  }),
  handoff: node('handoff', { reason: Text(200), teamId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), message: Type.Optional(BotMessage) }),
  resolve: node('resolve', { message: Type.Optional(BotMessage) }),
};
export type NodeType = keyof typeof NODE_SCHEMAS;
export const NODE_TYPES = Object.keys(NODE_SCHEMAS) as NodeType[];
export const FlowNode = Type.Union(Object.values(NODE_SCHEMAS));
export type FlowNode = { [K in NodeType]: Static<(typeof NODE_SCHEMAS)[K]> }[NodeType];

export const HandoffRules = Type.Object(
  {
    /** Phrases by language that ask for a person; the shipped list (`handoff-words.ts`) when absent. */
    askForHuman: Type.Optional(Type.Record(Type.String({ minLength: 2, maxLength: 16 }), Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }))),
    /** Consecutive misunderstandings before a hand-off. */
    misunderstandings: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 2 })),
    /** Contacts with any of these tags go to a person at once. */
    vipTags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    /** Outside the workspace's business hours: hand off at once, telling the customer when someone answers. */
    outsideBusinessHours: Type.Optional(Type.Boolean({ default: false })),
    outsideHoursMessage: Type.Optional(Translated(Text(1024, '`{{opensAt}}` is when someone will answer, in the workspace\'s time zone.'))),
    teamId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const FlowDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_-]+$' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    defaultLanguage: Type.String({ minLength: 2, maxLength: 16 }),
    start: NodeId,
    nodes: Type.Record(NodeId, FlowNode, { minProperties: 1, maxProperties: 500 }),
    intents: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 64 }),
            phrases: Type.Record(Type.String({ minLength: 2, maxLength: 16 }), Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
            patterns: Type.Optional(Type.Record(Type.String({ minLength: 2, maxLength: 16 }), Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 }))),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
    synonyms: Type.Optional(Type.Record(Type.String({ minLength: 2, maxLength: 16 }), Type.Array(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 2, maxItems: 20 }), { maxItems: 200 }))),
    handoff: Type.Optional(HandoffRules),
  },
  { additionalProperties: false, title: 'Parley bot flow' },
);
export type FlowDefinition = Static<typeof FlowDefinition>;
