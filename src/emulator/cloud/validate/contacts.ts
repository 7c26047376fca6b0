import { arrayField, at, badParam, isObject, requireObject, stringField, type Json } from './checks.js';

/** `contacts: [ { name: { formatted_name, ... }, phones?, emails?, ... } ]` */
export function validateContacts(message: Json): void {
  const contacts = arrayField(message, 'contacts', '', { required: true, min: 1, max: 257 })!;
  contacts.forEach((contact, i) => {
    const path = at('contacts', i);
    if (!isObject(contact)) throw badParam(`Param ${path} must be a JSON object.`);
    const name = requireObject(contact, 'name', path);
    stringField(name, 'formatted_name', at(path, 'name'), { required: true });
  });
}
