import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, StringEnum } from '../http/schemas.js';
import { LANES } from '../policy/lanes.js';

/**
 * The content of an outbound message. Each payload object follows the WhatsApp Cloud API's own shape
 * (snake_case inside it, as in Meta's documentation), so a payload copied from Meta's docs works here.
 * Limits are Meta's: checked at accept so a bad message is a 400 now, not a failure later.
 */
export const MESSAGE_TYPES = ['text', 'template', 'image', 'video', 'audio', 'document', 'sticker', 'interactive', 'location', 'reaction'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export const TextPayload = Type.Object({ body: MultilineText({ minLength: 1, maxLength: 4096 }), preview_url: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export const MediaPayload = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, description: 'A media id uploaded to Meta by you (Cloud API senders only).' })),
    mediaId: Type.Optional(Type.String({ minLength: 5, maxLength: 64, pattern: '^med_[0-9A-Z]+$', description: 'A file uploaded to Parley (`POST /v1/media`): Parley uploads it to the provider at dispatch (Cloud API) or sends its bytes (UltraMsg).' })),
    link: Type.Optional(Type.String({ pattern: '^https?://', description: 'A public HTTPS URL.' })),
    caption: Type.Optional(MultilineText({ maxLength: 1024 })),
    filename: Type.Optional(Type.String({ maxLength: 240 })),
  },
  { additionalProperties: false },
);

export const LocationPayload = Type.Object(
  {
    latitude: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.String({ pattern: '^-?\\d+(\\.\\d+)?$' })]),
    longitude: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.String({ pattern: '^-?\\d+(\\.\\d+)?$' })]),
    name: Type.Optional(MultilineText({ maxLength: 1000 })),
    address: Type.Optional(MultilineText({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const ReactionPayload = Type.Object(
  {
    message_id: Type.String({ minLength: 1, description: 'The message reacted to: its Parley id or its wamid.' }),
    emoji: Type.String({ maxLength: 16, description: 'One emoji; an empty string removes the reaction.' }),
  },
  { additionalProperties: false },
);

const TemplateParameter = Type.Object({ type: Type.String() }, { additionalProperties: true });
export const TemplatePayload = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$' }),
    language: Type.Object({ code: Type.String({ minLength: 2, maxLength: 15 }), policy: Type.Optional(Type.String()) }),
    components: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: StringEnum(['header', 'body', 'button', 'footer'] as const),
            sub_type: Type.Optional(Type.String()),
            index: Type.Optional(Type.Union([Type.String(), Type.Integer({ minimum: 0, maximum: 9, description: 'Button position, 0 to 9.' })])),
            parameters: Type.Optional(Type.Array(TemplateParameter, { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);

const InteractiveText = Type.Object({ text: MultilineText({ minLength: 1 }) });
export const InteractivePayload = Type.Object(
  {
    type: StringEnum(['button', 'list', 'cta_url', 'location_request_message'] as const),
    header: Type.Optional(Type.Object({ type: Type.String() }, { additionalProperties: true })),
    body: Type.Optional(InteractiveText),
    footer: Type.Optional(Type.Object({ text: MultilineText({ minLength: 1, maxLength: 60 }) })),
    action: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

/** The lanes a request may name (`lane`, or the deprecated `category`). */
export const CATEGORIES = LANES;

export const SendMessageBody = Type.Object(
  {
    to: Type.Optional(Type.String({ minLength: 3, maxLength: 32, description: 'Recipient phone number in E.164 (+5511987654321).' })),
    contactId: Type.Optional(Type.String({ description: 'Recipient as a Parley contact id (instead of `to`).' })),
    from: Type.Optional(Type.String({ description: 'Sender id (snd_...); defaults to the workspace\'s first active sender.' })),
    lane: Type.Optional(StringEnum(LANES, { description: 'The lane: otp > transactional > conversation > marketing. Default transactional.' })),
    category: Type.Optional(StringEnum(CATEGORIES, { deprecated: true, description: 'Deprecated: the lane\'s earlier name, still accepted (decision 0013). Give `lane`; if both are given they must agree.' })),
    type: Type.Optional(StringEnum(MESSAGE_TYPES, { description: 'The message type; leave it out when sending an `intent`.' })),
    intent: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 100, description: 'An intent defined with POST /v1/intents, e.g. order_shipped.' }),
          params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Values for the intent\'s text and template placeholders.' })),
        },
        { additionalProperties: false, description: 'Intent sending: free-form text while the 24-hour window is open, else the approved template for the contact\'s language; the choice is logged on the message.' },
      ),
    ),
    text: Type.Optional(TextPayload),
    template: Type.Optional(TemplatePayload),
    image: Type.Optional(MediaPayload),
    video: Type.Optional(MediaPayload),
    audio: Type.Optional(MediaPayload),
    document: Type.Optional(MediaPayload),
    sticker: Type.Optional(MediaPayload),
    interactive: Type.Optional(InteractivePayload),
    location: Type.Optional(LocationPayload),
    reaction: Type.Optional(ReactionPayload),
    replyTo: Type.Optional(Type.String({ description: 'Quote a message (its Parley id or wamid).' })),
    validUntil: Type.Optional(Type.String({ format: 'date-time', description: 'Do not send after this time; the message becomes `expired`. OTPs default to 10 minutes.' })),
    sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'Send no earlier than this time.' })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Your own data, returned with the message and its events.' })),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

/** The stored content: the payload object of the message type, plus the quoted message. */
export interface StoredContent {
  type: MessageType;
  payload: Record<string, unknown>;
  replyTo?: string;
  /** The recipient's E.164 number at accept time (so dispatch needs no contact lookup). */
  to: string;
  /**
   * The intent the content was chosen for, with its parameters: a free-form text refused by the provider
   * outside the window (131047) is sent again through the intent's template (`outbound/window-closed.ts`).
   */
  intent?: { name: string; params: Record<string, unknown> };
}
