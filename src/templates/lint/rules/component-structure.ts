import { BUTTON_TYPES, CATEGORIES, HEADER_FORMATS, UNMODELLED_BUTTON_TYPES, UNMODELLED_COMPONENT_TYPES, UNMODELLED_HEADER_FORMATS, isRecord } from '../../../template-text/template-shape.js';
import { finding, type Finding, type LintRule } from '../types.js';

const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'];

// The shape Meta's create endpoint accepts: a known category, one BODY, at most one HEADER, FOOTER and
// BUTTONS, known header formats and button types with their required fields. Other rules assume it.
export const rule: LintRule = {
  id: 'component-structure',
  description: 'The template has a known category, exactly one body, at most one header, footer and button group, and well-formed buttons (a warning for parts Meta accepts that Parley does not model: catalog, product, Flow and voice-call buttons, GIF headers, limited-time-offer, carousel and call-permission components).',
  check(template) {
    const out: Finding[] = [];
    const err = (path: string, message: string, fix: string) => out.push(finding(this.id, 'error', path, message, fix));
    const unmodelled = (path: string, what: string) =>
      out.push(finding(this.id, 'warning', path, `Meta accepts ${what}, but Parley does not model it: it cannot fill its send-time parameters or preview it.`, 'Submit it if you send this template by other means; sends through Parley may be refused by Meta for the missing parameters.'));
    const has = (list: readonly string[], value: unknown) => typeof value === 'string' && list.includes(value);
    if (!(CATEGORIES as readonly unknown[]).includes(template?.category)) {
      err('/category', `The category ${JSON.stringify(template?.category)} is not one Meta accepts.`, `Use one of ${CATEGORIES.join(', ')}.`);
    }
    const components: unknown = template?.components;
    if (!Array.isArray(components)) {
      err('/components', 'The template has no "components" array.', 'Add "components": [{ "type": "BODY", "text": "..." }].');
      return out;
    }
    const seen = new Map<string, number>();
    components.forEach((component, index) => {
      const path = `/components/${index}`;
      if (isRecord(component) && has(UNMODELLED_COMPONENT_TYPES, component.type)) {
        unmodelled(`${path}/type`, `a ${String(component.type)} component`);
        return;
      }
      if (!isRecord(component) || !COMPONENT_TYPES.includes(component.type as string)) {
        err(`${path}/type`, `Component ${index} has an unknown type ${JSON.stringify(isRecord(component) ? component.type : component)}.`, `Use one of ${COMPONENT_TYPES.join(', ')}.`);
        return;
      }
      const type = component.type as string;
      if (seen.has(type)) err(path, `A template has at most one ${type}; another is at /components/${seen.get(type)}.`, `Merge or remove the extra ${type}.`);
      else seen.set(type, index);
      if (component.text !== undefined && typeof component.text !== 'string') err(`${path}/text`, `The ${type} text must be a string.`, 'Write the text as a JSON string.');
      if (type === 'HEADER') {
        if (has(UNMODELLED_HEADER_FORMATS, component.format)) {
          unmodelled(`${path}/format`, `a ${String(component.format)} header`);
        } else if (!(HEADER_FORMATS as readonly unknown[]).includes(component.format)) {
          err(`${path}/format`, `The header format ${JSON.stringify(component.format)} is unknown.`, `Use one of ${HEADER_FORMATS.join(', ')}.`);
        } else if (component.format === 'TEXT' && typeof component.text !== 'string') {
          err(`${path}/text`, 'A TEXT header needs its text.', 'Add "text" to the header, or remove the header.');
        }
      }
      if (type === 'BODY' && template.category !== 'AUTHENTICATION' && (typeof component.text !== 'string' || component.text.trim() === '')) {
        err(`${path}/text`, 'The body has no text.', 'Add the message text to the BODY component.');
      }
      if (type === 'FOOTER' && template.category !== 'AUTHENTICATION' && typeof component.text !== 'string') {
        err(`${path}/text`, 'The footer has no text.', 'Add "text" to the footer, or remove it.');
      }
      if (type === 'BUTTONS') {
        const buttons = component.buttons;
        if (!Array.isArray(buttons) || buttons.length === 0) {
          err(`${path}/buttons`, 'The BUTTONS component has no buttons.', 'Add at least one button, or remove the component.');
          return;
        }
        buttons.forEach((button, b) => {
          const bpath = `${path}/buttons/${b}`;
          if (isRecord(button) && has(UNMODELLED_BUTTON_TYPES, button.type)) {
            unmodelled(`${bpath}/type`, `a ${String(button.type)} button`);
            return;
          }
          if (!isRecord(button) || !(BUTTON_TYPES as readonly unknown[]).includes(button.type)) {
            err(`${bpath}/type`, `Button ${b} has an unknown type ${JSON.stringify(isRecord(button) ? button.type : button)}.`, `Use one of ${BUTTON_TYPES.join(', ')}.`);
            return;
          }
          const needsText = button.type === 'QUICK_REPLY' || button.type === 'URL' || button.type === 'PHONE_NUMBER';
          if (needsText && (typeof button.text !== 'string' || button.text.trim() === '')) err(`${bpath}/text`, `The ${button.type} button has no label.`, 'Add "text", the label the customer sees.');
          if (button.type === 'URL' && typeof button.url !== 'string') err(`${bpath}/url`, 'The URL button has no "url".', 'Add "url": "https://...".');
          if (button.type === 'PHONE_NUMBER' && typeof button.phone_number !== 'string') err(`${bpath}/phone_number`, 'The phone button has no "phone_number".', 'Add "phone_number": "+15550783881".');
          if (button.type === 'OTP' && !['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(button.otp_type as string)) {
            err(`${bpath}/otp_type`, `The OTP button type ${JSON.stringify(button.otp_type)} is unknown.`, 'Use "otp_type": "COPY_CODE", "ONE_TAP" or "ZERO_TAP".');
          }
        });
      }
    });
    if (!seen.has('BODY')) err('/components', 'The template has no BODY component.', 'Add { "type": "BODY", "text": "..." }.');
    return out;
  },
};
