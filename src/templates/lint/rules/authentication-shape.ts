import { isRecord } from '../../../template-text/template-shape.js';
import { buttonSites, componentSite, componentSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

const EMOJI = /\p{Extended_Pictographic}/u;

const appNamed = (app: unknown): boolean => isRecord(app) && typeof app.package_name === 'string' && typeof app.signature_hash === 'string';

/** One-tap and zero-tap buttons name the Android app: `supported_apps` (Meta's form since v21.0) or, as before, on the button. */
const namesAndroidApp = (button: Record<string, unknown>): boolean =>
  Array.isArray(button.supported_apps) ? button.supported_apps.length > 0 && button.supported_apps.every(appNamed) : appNamed(button);

// Authentication templates are presets since 2023: Meta writes the body ("<CODE> is your verification
// code."), the only button is one OTP button, and URLs, media and emoji are not allowed. OTP buttons
// exist only in authentication templates.
export const rule: LintRule = {
  id: 'authentication-shape',
  description: 'AUTHENTICATION templates use the preset body, one OTP button, no media header, URLs or emoji; OTP buttons appear only in AUTHENTICATION templates.',
  check(template) {
    const out: Finding[] = [];
    const err = (path: string, message: string, fix: string) => out.push(finding(this.id, 'error', path, message, fix));
    const buttons = buttonSites(template);
    const otp = buttons.filter((b) => b.button.type === 'OTP');
    if (template?.category !== 'AUTHENTICATION') {
      for (const b of otp) err(`${b.path}/type`, 'OTP buttons are only allowed in AUTHENTICATION templates.', 'Use a COPY_CODE or URL button here, or make this an AUTHENTICATION template.');
      return out;
    }
    if (otp.length !== 1) err(componentSite(template, 'BUTTONS')?.path ?? '/components', `An authentication template needs exactly one OTP button; it has ${otp.length}.`, 'Add { "type": "BUTTONS", "buttons": [{ "type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code" }] }.');
    for (const b of buttons) if (b.button.type !== 'OTP') err(`${b.path}/type`, `A ${String(b.button.type)} button is not allowed in an authentication template.`, 'Remove it; authentication templates carry only the OTP button.');
    for (const b of otp) {
      if ((b.button.otp_type === 'ONE_TAP' || b.button.otp_type === 'ZERO_TAP') && !namesAndroidApp(b.button)) {
        err(b.path, `A ${String(b.button.otp_type)} button needs the "package_name" and "signature_hash" of your Android app.`, 'Add "supported_apps": [{ "package_name": "com.example.app", "signature_hash": "K8a/AINcGX7" }] to the button, or use "otp_type": "COPY_CODE".');
      }
    }
    for (const site of componentSites(template)) {
      const c = site.component;
      if (c.type === 'HEADER') err(site.path, 'Authentication templates have no header.', 'Remove the HEADER component.');
      if (c.type === 'BODY' && typeof c.text === 'string') err(`${site.path}/text`, 'The body of an authentication template is Meta’s preset; custom text is not allowed.', 'Remove "text" from the BODY; set "add_security_recommendation": true to add the security line.');
      if (c.type === 'FOOTER') {
        if (typeof c.text === 'string') err(`${site.path}/text`, 'The footer of an authentication template is preset; custom text is not allowed.', 'Remove "text"; use "code_expiration_minutes" for the expiry line.');
        const minutes = c.code_expiration_minutes;
        if (minutes !== undefined && (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 90)) {
          err(`${site.path}/code_expiration_minutes`, `code_expiration_minutes must be a whole number from 1 to 90; it is ${JSON.stringify(minutes)}.`, 'Set it to the lifetime of your codes in minutes, e.g. 10.');
        }
      }
    }
    for (const b of buttons) {
      const label = isRecord(b.button) ? b.button.text : undefined;
      if (typeof label === 'string' && EMOJI.test(label)) err(`${b.path}/text`, 'Emoji are not allowed in authentication templates.', 'Remove the emoji from the button label.');
    }
    return out;
  },
};
