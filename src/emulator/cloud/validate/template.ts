import { arrayField, at, badParam, isObject, oneOf, requireObject, stringField, type Json } from './checks.js';

const COMPONENT_TYPES = ['header', 'body', 'button', 'footer'];
const PARAM_TYPES = ['text', 'currency', 'date_time', 'image', 'document', 'video', 'location', 'payload', 'coupon_code'];

/**
 * The shape of a template send (`template: { name, language: { code }, components? }`). Whether the template
 * exists, is approved, and gets the right number of parameters is a rule (`rules/template-check.ts`), since
 * it depends on the WABA's templates.
 */
export function validateTemplateShape(message: Json): void {
  const template = requireObject(message, 'template', '');
  stringField(template, 'name', 'template', { required: true, max: 512 });
  const language = requireObject(template, 'language', 'template');
  stringField(language, 'code', at('template', 'language'), { required: true, max: 20 });
  const components = arrayField(template, 'components', 'template') ?? [];
  components.forEach((component, i) => {
    const cp = at(at('template', 'components'), i);
    if (!isObject(component)) throw badParam(`Param ${cp} must be a JSON object.`);
    const type = oneOf(typeof component.type === 'string' ? component.type.toLowerCase() : component.type, COMPONENT_TYPES, at(cp, 'type'));
    if (type === 'button') {
      oneOf(component.sub_type, ['quick_reply', 'url', 'copy_code', 'catalog', 'flow', 'voice_call'], at(cp, 'sub_type'));
      const index = Number(component.index);
      if (component.index === undefined || !Number.isInteger(index) || index < 0 || index > 9) throw badParam(`Param ${at(cp, 'index')} must be a position from 0 to 9.`);
    }
    const params = arrayField(component, 'parameters', cp) ?? [];
    params.forEach((param, j) => {
      const pp = at(at(cp, 'parameters'), j);
      if (!isObject(param)) throw badParam(`Param ${pp} must be a JSON object.`);
      const ptype = oneOf(param.type, PARAM_TYPES, at(pp, 'type'));
      if (ptype === 'text') stringField(param, 'text', pp, { required: true, max: 32768 });
      else if (ptype === 'payload') stringField(param, 'payload', pp, { required: true, max: 1000 });
      else requireObject(param, ptype, pp);
    });
  });
}
