import { Value } from '@sinclair/typebox/value';
import { Type } from '@sinclair/typebox';
import { FlowDefinition, NODE_SCHEMAS, NODE_TYPES, type FlowNode, type NodeType } from './flow-schema.js';
import { catastrophicBacktracking } from './regex-safety.js';

/**
 * Checks a flow before it is published, pure: its shape against the published schema, then its meaning:
 * every edge names a node, every node is reachable from `start`, every loop passes a customer turn (a
 * node that waits for the customer), intents and patterns exist and compile, no pattern can backtrack
 * catastrophically on a customer's text (`regex-safety.ts`), and interactive messages keep within Meta's limits (3 reply buttons of 20 characters; 10 list rows of 24, descriptions of 72,
 * a list button of 20), so a customer never meets a message WhatsApp refuses. Each problem names the
 * node and the field.
 */
export interface FlowProblem {
  /** The node's key, or null for the flow as a whole. */
  node: string | null;
  /** A JSON pointer into the flow (`/nodes/menu/options/3/title`). */
  field: string;
  message: string;
}

export const META_LIMITS = { buttons: 3, buttonTitle: 20, buttonBody: 1024, listRows: 10, rowTitle: 24, rowDescription: 72, listButton: 20, listBody: 4096 } as const;

/** Nodes that wait for the customer's next message. */
const CUSTOMER_TURNS = new Set<FlowNode['type']>(['menu', 'collect', 'intent']);

const nodeOfPath = (path: string): string | null => /^\/nodes\/([^/]+)/.exec(path)?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~') ?? null;

/** The edges leaving a node, with the field each is in. */
export function edgesOf(node: FlowNode): Array<{ field: string; to: string }> {
  const out: Array<{ field: string; to: string }> = [];
  const add = (field: string, to: string | undefined) => {
    if (to !== undefined) out.push({ field, to });
  };
  switch (node.type) {
    case 'send':
    case 'set':
      add('next', node.next);
      break;
    case 'menu':
      node.options.forEach((o, i) => add(`options/${i}/next`, o.next));
      add('otherwise', node.otherwise);
      break;
    case 'collect':
      add('next', node.next);
      add('onFail', node.onFail);
      break;
    case 'intent':
      for (const [name, to] of Object.entries(node.routes)) add(`routes/${name}`, to);
      add('otherwise', node.otherwise);
      break;
    case 'faq':
      add('next', node.next);
      add('otherwise', node.otherwise);
      break;
    case 'webhook':
      add('next', node.next);
      add('onError', node.onError);
      break;
    case 'branch':
      node.cases.forEach((c, i) => add(`cases/${i}/next`, c.next));
      add('otherwise', node.otherwise);
      break;
    case 'handoff':
    case 'resolve':
      break;
  }
  return out;
}

/** Every text of a translated value: the value itself, or each language's. */
const texts = (value: string | Record<string, string> | undefined): Array<{ at: string; text: string }> =>
  value === undefined ? [] : typeof value === 'string' ? [{ at: '', text: value }] : Object.entries(value).map(([lang, text]) => ({ at: `/${lang}`, text }));

const length = (text: string) => [...text].length;

/** Why a pattern cannot be published (it does not compile, or may backtrack catastrophically), or null. */
function patternProblem(source: string): string | null {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    return `The pattern does not compile: ${(error as Error).message}`;
  }
  const slow = catastrophicBacktracking(source);
  return slow ? `The pattern may take exponential time on some customer messages: ${slow}.` : null;
}

function checkMenu(id: string, node: Extract<FlowNode, { type: 'menu' }>, problems: FlowProblem[]): void {
  const at = `/nodes/${id}`;
  const style = node.style ?? (node.options.length <= META_LIMITS.buttons ? 'buttons' : 'list');
  const problem = (field: string, message: string) => problems.push({ node: id, field: `${at}/${field}`, message });
  const seen = new Set<string>();
  node.options.forEach((o, i) => {
    if (seen.has(o.id)) problem(`options/${i}/id`, `Option id ${JSON.stringify(o.id)} is used twice in this menu.`);
    seen.add(o.id);
  });
  if (style === 'buttons') {
    if (node.options.length > META_LIMITS.buttons) problem('options', `A button menu has at most ${META_LIMITS.buttons} options (WhatsApp's limit); this one has ${node.options.length}. Use style "list".`);
    node.options.forEach((o, i) => {
      for (const t of texts(o.title)) if (length(t.text) > META_LIMITS.buttonTitle) problem(`options/${i}/title${t.at}`, `A button title is at most ${META_LIMITS.buttonTitle} characters; ${JSON.stringify(t.text)} has ${length(t.text)}.`);
      if (o.description !== undefined) problem(`options/${i}/description`, 'Reply buttons have no description; use style "list" for descriptions.');
    });
    for (const t of texts(node.text)) if (length(t.text) > META_LIMITS.buttonBody) problem(`text${t.at}`, `A button message's text is at most ${META_LIMITS.buttonBody} characters.`);
    return;
  }
  if (node.options.length > META_LIMITS.listRows) problem('options', `A list has at most ${META_LIMITS.listRows} rows (WhatsApp's limit); this one has ${node.options.length}.`);
  if (node.button === undefined) problem('button', 'A list needs its button text (`button`, up to 20 characters).');
  for (const t of texts(node.button)) if (length(t.text) > META_LIMITS.listButton) problem(`button${t.at}`, `A list's button text is at most ${META_LIMITS.listButton} characters.`);
  node.options.forEach((o, i) => {
    for (const t of texts(o.title)) if (length(t.text) > META_LIMITS.rowTitle) problem(`options/${i}/title${t.at}`, `A list row's title is at most ${META_LIMITS.rowTitle} characters; ${JSON.stringify(t.text)} has ${length(t.text)}.`);
    for (const t of texts(o.description)) if (length(t.text) > META_LIMITS.rowDescription) problem(`options/${i}/description${t.at}`, `A list row's description is at most ${META_LIMITS.rowDescription} characters.`);
  });
}

/** A node on a cycle of nodes that do not wait for the customer, or null. */
function loopWithoutTurn(nodes: Record<string, FlowNode>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const node = nodes[id];
    if (!node || CUSTOMER_TURNS.has(node.type)) return null;
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return stack.slice(stack.indexOf(id));
    state.set(id, 'open');
    stack.push(id);
    for (const edge of edgesOf(node)) {
      const loop = visit(edge.to);
      if (loop) return loop;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of Object.keys(nodes)) {
    const loop = visit(id);
    if (loop) return loop;
  }
  return null;
}

/** The flow's shape with each node only required to name its type: nodes are checked one by one against their own type. */
const FlowOutline = Type.Object({ ...FlowDefinition.properties, nodes: Type.Record(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), Type.Object({ type: Type.String() }), { minProperties: 1, maxProperties: 500 }) }, { additionalProperties: false });

/** Shape problems, one per field (the first error there says enough), nodes against their own type's schema. */
function shapeProblems(input: unknown): FlowProblem[] {
  const byPath = new Map<string, FlowProblem>();
  const note = (path: string, message: string) => {
    if (!byPath.has(path)) byPath.set(path, { node: nodeOfPath(path), field: path || '/', message });
  };
  for (const e of Value.Errors(FlowOutline, input)) note(e.path, e.message);
  if (byPath.size) return [...byPath.values()];
  for (const [id, node] of Object.entries((input as { nodes: Record<string, { type: string }> }).nodes)) {
    const at = `/nodes/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!NODE_TYPES.includes(node.type as NodeType)) {
      note(`${at}/type`, `Unknown node type ${JSON.stringify(node.type)}; one of ${NODE_TYPES.join(', ')}.`);
      continue;
    }
    for (const e of Value.Errors(NODE_SCHEMAS[node.type as NodeType], node)) note(`${at}${e.path}`, e.message);
  }
  return [...byPath.values()];
}

/** Every problem of the flow; none means it can be published. */
export function validateFlow(input: unknown): FlowProblem[] {
  const shape = shapeProblems(input);
  if (shape.length) return shape;
  const flow = input as FlowDefinition;
  const problems: FlowProblem[] = [];
  const ids = new Set(Object.keys(flow.nodes));
  if (!ids.has(flow.start)) problems.push({ node: null, field: '/start', message: `The start node ${JSON.stringify(flow.start)} is not in nodes.` });

  const intents = new Set((flow.intents ?? []).map((i) => i.name));
  (flow.intents ?? []).forEach((intent, i) => {
    for (const [lang, patterns] of Object.entries(intent.patterns ?? {})) {
      patterns.forEach((p, j) => {
        const problem = patternProblem(p);
        if (problem) problems.push({ node: null, field: `/intents/${i}/patterns/${lang}/${j}`, message: problem });
      });
    }
  });

  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const edge of edgesOf(node)) {
      if (!ids.has(edge.to)) problems.push({ node: id, field: `/nodes/${id}/${edge.field}`, message: `Node ${JSON.stringify(edge.to)} does not exist.` });
    }
    if (node.type === 'menu') checkMenu(id, node, problems);
    if (node.type === 'intent') {
      for (const name of Object.keys(node.routes)) if (!intents.has(name)) problems.push({ node: id, field: `/nodes/${id}/routes/${name}`, message: `No intent named ${JSON.stringify(name)} in intents.` });
    }
    if (node.type === 'faq') {
      node.entries.forEach((e, i) => {
        if (!intents.has(e.intent)) problems.push({ node: id, field: `/nodes/${id}/entries/${i}/intent`, message: `No intent named ${JSON.stringify(e.intent)} in intents.` });
      });
    }
    if (node.type === 'collect' && node.validator.kind === 'regex') {
      const problem = patternProblem(node.validator.pattern);
      if (problem) problems.push({ node: id, field: `/nodes/${id}/validator/pattern`, message: problem });
    }
    if (node.type === 'webhook' && !/^https?:\/\//i.test(node.url)) problems.push({ node: id, field: `/nodes/${id}/url`, message: 'A business webhook is an http or https URL.' });
  }

  if (ids.has(flow.start)) {
    const reached = new Set<string>([flow.start]);
    const queue = [flow.start];
    while (queue.length) {
      const node = flow.nodes[queue.shift()!]!;
      for (const { to } of edgesOf(node)) {
        if (!ids.has(to) || reached.has(to)) continue;
        reached.add(to);
        queue.push(to);
      }
    }
    for (const id of ids) if (!reached.has(id)) problems.push({ node: id, field: `/nodes/${id}`, message: `Node ${JSON.stringify(id)} cannot be reached from the start node.` });
  }

  const loop = loopWithoutTurn(flow.nodes);
  if (loop) problems.push({ node: loop[0]!, field: `/nodes/${loop[0]}`, message: `The nodes ${loop.join(' → ')} → ${loop[0]} loop without waiting for the customer (add a menu, collect or intent node to the loop).` });
  return problems;
}
