import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, iso } from '../http/schemas.js';
import { ParleyError } from '../errors/parley-error.js';
import type { Principal } from '../access/principal.js';
import { FlowDefinition } from './flow-schema.js';
import type { FlowAssignment, FlowVersionInfo, StoredFlow } from './flow-store.js';
import type { FlowProblem } from './validate-flow.js';

/** The largest draft the API takes: far above any flow Meta's limits let a customer walk through. */
export const DRAFT_BODY_LIMIT = 512 * 1024;

/** Deeper than this, a draft is refused before it is stored or checked (JSON.stringify recurses). */
const MAX_DRAFT_DEPTH = 32;

// A copy of the flow's name rule: route schemas are amended in place at boot, the published schema is not.
const { minLength, maxLength, pattern } = FlowDefinition.properties.name;
const FlowName = Type.String({ minLength, maxLength, pattern, description: 'Unique in the workspace: lower-case letters, digits, `-` and `_`.' });

/** A draft as saved: any JSON object with a valid `name`; the rest is checked by `validate` and `publish`. */
export const DraftBody = Type.Object({
  definition: Type.Object({ name: FlowName }, { additionalProperties: true, description: 'The flow (schema at `GET /v1/flows/schema`); a draft may be incomplete or invalid.' }),
});

/** Any definition, for `POST /v1/flows/validate`. */
export const AnyDefinitionBody = Type.Object({ definition: Type.Unknown({ description: 'A flow to check (schema at `GET /v1/flows/schema`).' }) });

export const ProblemView = Type.Object({
  node: Nullable(Type.String({ description: 'The node\'s key; null for the flow as a whole.' })),
  field: Type.String({ description: 'A JSON pointer into the flow.' }),
  message: Type.String(),
});
export const ProblemsView = Type.Object({ problems: Type.Array(ProblemView) });

export const AssignmentView = Type.Object({
  flowId: Type.String(),
  senderId: Type.String(),
  entry: Nullable(Type.String({ description: 'An entry point (`referral:<source id>`); null: every other conversation of the sender.' })),
  updatedAt: Timestamp(),
});

const flowProps = {
  id: Type.String(),
  name: Type.String(),
  latestVersion: Nullable(Type.Integer({ description: 'The highest published version; null before the first publication.' })),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
};
export const FlowSummaryView = Type.Object(flowProps);
const detailProps = {
  ...flowProps,
  draft: Type.Unknown({ description: 'The draft as last saved (may be invalid).' }),
  problems: Type.Array(ProblemView, { description: 'What stops the draft from being published; empty when it can be.' }),
  assignments: Type.Array(AssignmentView),
};
export const FlowView = Type.Object(detailProps);
export const CreatedFlowView = Type.Object({
  ...detailProps,
  webhookSecret: Type.String({ description: 'Signs this flow\'s business webhook calls. Shown only now: keep it; rotate it to get a new one.' }),
});

export const VersionView = Type.Object({ flowId: Type.String(), version: Type.Integer(), publishedBy: Type.String({ description: '`user:<id>` or `key:<id>`.' }), publishedAt: Timestamp() });
export const VersionDefinitionView = Type.Object({ ...VersionView.properties, definition: Type.Unknown({ description: 'The published flow, immutable.' }) });

export const presentAssignment = (a: FlowAssignment) => ({ flowId: a.flowId, senderId: a.senderId, entry: a.entry === '' ? null : a.entry, updatedAt: iso(a.updatedAt)! });
export const presentSummary = (f: StoredFlow) => ({ id: f.id, name: f.name, latestVersion: f.latestVersion, createdAt: iso(f.createdAt)!, updatedAt: iso(f.updatedAt)! });
export const presentFlow = (f: StoredFlow, problems: FlowProblem[], assignments: FlowAssignment[]) => ({ ...presentSummary(f), draft: f.draft, problems, assignments: assignments.map(presentAssignment) });
export const presentVersion = (v: FlowVersionInfo) => ({ flowId: v.flowId, version: v.version, publishedBy: v.publishedBy, publishedAt: iso(v.publishedAt)! });

/** Who publishes, as a version records it: `user:<id>` or `key:<id>`. */
export const publisherOf = (p: Principal): string => `${p.actor.type === 'api_key' ? 'key' : p.actor.type}:${p.actor.id}`;

/** A short fingerprint of a draft, for the audit trail (which keeps no flow text). */
export const draftDigest = (draft: unknown): string => createHash('sha256').update(JSON.stringify(draft)).digest('hex').slice(0, 16);

/** Refuses a definition nested too deeply to store or check (a 400 naming the field, never a crash). */
export function refuseDeepNesting(definition: unknown): void {
  const deep = (value: unknown, depth: number): boolean => {
    if (value === null || typeof value !== 'object') return false;
    if (depth >= MAX_DRAFT_DEPTH) return true;
    return (Array.isArray(value) ? value : Object.values(value)).some((v) => deep(v, depth + 1));
  };
  if (deep(definition, 0)) throw new ParleyError('REQUEST_INVALID', { field: '/definition', message: `The definition is nested more than ${MAX_DRAFT_DEPTH} levels deep.` });
}
