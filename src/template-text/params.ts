/**
 * Send-time parameters of a template, as the API and intents pass them:
 * - `header`: the text variable's value, or the media (`{ image | video | document: { link | id } }`),
 *   or `{ location: { latitude, longitude, name?, address? } }`;
 * - `body`: values in placeholder order (`["Asha", "A123"]`) or by key (`{ "customer_name": "Asha" }`,
 *   also `{ "1": "Asha" }`); a value is text, or `{ currency }` / `{ date_time }` in Meta's send shape;
 * - `buttons`: by button position, the URL suffix, coupon code, quick-reply payload or OTP code.
 * An authentication template takes its code as the one body value; its OTP button reuses it.
 */
export type TextValue = string | number;
export interface CurrencyValue {
  currency: { fallback_value: string; code: string; amount_1000: number };
}
export interface DateTimeValue {
  date_time: { fallback_value: string };
}
export type BodyValue = TextValue | CurrencyValue | DateTimeValue;

export interface MediaRef {
  link?: string;
  id?: string;
  filename?: string;
}
export interface LocationValue {
  latitude: number | string;
  longitude: number | string;
  name?: string;
  address?: string;
}
export type HeaderValue = TextValue | { text: TextValue } | { image: MediaRef } | { video: MediaRef } | { document: MediaRef } | { location: LocationValue };

export interface TemplateParams {
  header?: HeaderValue;
  body?: BodyValue[] | Record<string, BodyValue>;
  buttons?: Record<string, TextValue>;
}

/** What a renderer needs of a stored template version. */
export interface RenderableTemplate {
  name: string;
  language: string;
  category: string;
  parameter_format?: string;
  components: unknown[];
}
