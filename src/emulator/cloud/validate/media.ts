import { at, badParam, invalidValue, isHttpUrl, missing, requireObject, stringField, type Json } from './checks.js';

export const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

/**
 * Media messages: exactly one of `id` (an uploaded media id) or `link` (an http(s) URL); `caption` up to
 * 1024 characters, not on audio or stickers; `filename` on documents only.
 */
export function validateMedia(message: Json, type: string, mediaExists: (id: string) => boolean): void {
  const media = requireObject(message, type, '');
  const path = type;
  const id = stringField(media, 'id', path);
  const link = stringField(media, 'link', path);
  if (id !== undefined && link !== undefined) throw invalidValue(path, `only one of ${at(path, 'id')} or ${at(path, 'link')} may be given`);
  if (id === undefined && link === undefined) throw missing(`${at(path, 'id')} or ${at(path, 'link')}`);
  if (link !== undefined && !isHttpUrl(link)) throw invalidValue(at(path, 'link'), 'must be an http or https URL');
  if (id !== undefined && !mediaExists(id)) throw invalidValue(at(path, 'id'), `media ${id} does not exist or has expired`);
  if (media.caption !== undefined) {
    if (type === 'audio' || type === 'sticker') throw badParam(`Param ${at(path, 'caption')} is not supported for ${type} messages.`);
    stringField(media, 'caption', path, { max: 1024 });
  }
  if (media.filename !== undefined) {
    if (type !== 'document') throw badParam(`Param ${at(path, 'filename')} is only supported for document messages.`);
    stringField(media, 'filename', path, { max: 240 });
  }
}
