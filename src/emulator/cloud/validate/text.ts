import { badParam, requireObject, stringField, type Json } from './checks.js';

/** `text: { body (<= 4096), preview_url? }` */
export function validateText(message: Json): void {
  const text = requireObject(message, 'text', '');
  stringField(text, 'body', 'text', { required: true, max: 4096 });
  if (text.preview_url !== undefined && typeof text.preview_url !== 'boolean') throw badParam("Param text['preview_url'] must be a boolean.");
}
