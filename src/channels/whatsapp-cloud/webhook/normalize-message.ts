import type { InboundItem, InboundMedia, SenderRoute, WebhookItem } from '../../webhook-items.js';
import { arr, bool, compact, num, obj, secondsToMs, str, type JsonObject } from '../../read-json.js';
import { normalizeErrors } from './normalize-error.js';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

interface Parts {
  type: string;
  content: JsonObject;
  text?: string;
  buttonPayload?: string;
  media?: InboundMedia;
  opensWindow: boolean;
  changedToWaId?: string;
  contextProviderMessageId?: string;
}

function media(type: string, body: JsonObject): Parts {
  const m: InboundMedia = compact({ providerMediaId: str(body.id), url: str(body.url), mimeType: str(body.mime_type), sha256: str(body.sha256), filename: str(body.filename) });
  const caption = str(body.caption);
  return {
    type,
    content: compact({ media: compact({ ...m, voice: bool(body.voice), animated: bool(body.animated) }), caption }),
    text: caption,
    media: m,
    opensWindow: true,
  };
}

function interactive(body: JsonObject): Parts {
  const kind = str(body.type);
  const button = obj(body.button_reply);
  if (kind === 'button_reply' && button) {
    return { type: 'interactive', content: { reply: compact({ kind: 'button', id: str(button.id), title: str(button.title) }) }, text: str(button.title), buttonPayload: str(button.id), opensWindow: true };
  }
  const list = obj(body.list_reply);
  if (kind === 'list_reply' && list) {
    return {
      type: 'interactive',
      content: { reply: compact({ kind: 'list', id: str(list.id), title: str(list.title), description: str(list.description) }) },
      text: str(list.title),
      buttonPayload: str(list.id),
      opensWindow: true,
    };
  }
  const flow = obj(body.nfm_reply);
  if (kind === 'nfm_reply' && flow) {
    return { type: 'interactive', content: { flowReply: compact({ name: str(flow.name), body: str(flow.body), responseJson: str(flow.response_json) }) }, text: str(flow.body), opensWindow: true };
  }
  return { type: 'interactive', content: { raw: body }, opensWindow: true };
}

/** The type-specific part of one inbound Cloud API message. */
function parts(message: JsonObject, type: string): Parts {
  const body = obj(message[type]) ?? {};
  if (MEDIA_TYPES.has(type)) return media(type, body);
  switch (type) {
    case 'text':
      return { type, content: { text: str(body.body) ?? '' }, text: str(body.body), opensWindow: true };
    case 'location':
      return {
        type,
        content: { location: compact({ latitude: num(body.latitude), longitude: num(body.longitude), name: str(body.name), address: str(body.address), url: str(body.url) }) },
        opensWindow: true,
      };
    case 'contacts':
      return { type, content: { contacts: arr(message.contacts) }, opensWindow: true };
    case 'interactive':
      return interactive(body);
    case 'button':
      // A tapped quick-reply button of a template: `payload` is what the business set at send time.
      return { type, content: { button: compact({ payload: str(body.payload), text: str(body.text) }) }, text: str(body.text), buttonPayload: str(body.payload) ?? str(body.text), opensWindow: true };
    case 'reaction': {
      // Meta omits `emoji` when the customer removes a reaction.
      const emoji = str(body.emoji) ?? null;
      const target = str(body.message_id);
      return { type, content: { reaction: compact({ targetProviderMessageId: target, emoji, removed: emoji === null }) }, contextProviderMessageId: target, opensWindow: true };
    }
    case 'order': {
      const items = arr(body.product_items).map((raw) => {
        const item = obj(raw) ?? {};
        return compact({ productRetailerId: str(item.product_retailer_id), quantity: num(item.quantity), itemPrice: num(item.item_price), currency: str(item.currency) });
      });
      return { type, content: { order: compact({ catalogId: str(body.catalog_id), text: str(body.text), items }) }, text: str(body.text), opensWindow: true };
    }
    case 'system': {
      const systemType = str(body.type) ?? 'unknown';
      const newWaId = str(body.wa_id) ?? str(body.new_wa_id);
      // A notice from WhatsApp, not a message from the customer: it does not open the window.
      return { type, content: { system: compact({ type: systemType, body: str(body.body), newWaId }) }, opensWindow: false, changedToWaId: systemType === 'user_changed_number' ? newWaId : undefined };
    }
    case 'unsupported':
    case 'unknown':
      return { type: 'unsupported', content: { unsupported: compact({ type: str(body.type) }), errors: normalizeErrors(message.errors) }, opensWindow: true };
    default:
      // A type Parley does not know yet: kept whole, so nothing is lost.
      return { type, content: { raw: message[type] ?? null }, opensWindow: true };
  }
}

/** One `value.messages[]` element as an inbound item (or an invalid item when it lacks its id). */
export function normalizeMessage(raw: unknown, route: SenderRoute, names: Map<string, string>, receivedAt: number, position: string): WebhookItem {
  const message = obj(raw);
  const id = str(message?.id);
  if (!message || !id) return { kind: 'invalid', key: `message#${position}`, reason: 'a message without an id' };
  const type = str(message.type) ?? 'unknown';
  const p = parts(message, type);
  const from = str(message.from);
  const context = obj(message.context);
  const contextContent = context
    ? compact({ replyTo: str(context.id), forwarded: bool(context.forwarded), frequentlyForwarded: bool(context.frequently_forwarded), referredProduct: obj(context.referred_product) })
    : undefined;
  const content: JsonObject = { ...p.content };
  if (contextContent && Object.keys(contextContent).length) content.context = contextContent;
  const referral = obj(message.referral);
  if (referral) content.referral = referral;
  const item: InboundItem = {
    kind: 'inbound',
    provider: 'cloud',
    route,
    providerMessageId: id,
    fromWaId: from,
    profileName: from ? names.get(from) : undefined,
    at: secondsToMs(message.timestamp) ?? receivedAt,
    type: p.type,
    content,
    text: p.text,
    buttonPayload: p.buttonPayload,
    contextProviderMessageId: p.contextProviderMessageId ?? str(context?.id),
    media: p.media,
    opensWindow: p.opensWindow,
    changedToWaId: p.changedToWaId,
  };
  return compact(item as unknown as JsonObject) as unknown as InboundItem;
}
