import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

/**
 * Copy-code example length: Meta's component reference allows 20 characters, while its coupon code
 * template page (and partners quoting it) limited codes to 15 until 2026.
 */
export const COPY_CODE_LIMITS = { documented: 20, cautious: 15 } as const;

// A COPY_CODE button takes its sample code in "example" (required at creation; the real code is sent
// with each message). Longer than Meta's current maximum (20) is an error; 16 to 20 characters passes
// the component reference but not the 15-character limit of the coupon template page, so it is a
// warning.
export const rule: LintRule = {
  id: 'copy-code-example',
  description: `A copy-code button has an example code of at most ${COPY_CODE_LIMITS.documented} characters (a warning above ${COPY_CODE_LIMITS.cautious}).`,
  check(template) {
    const out: Finding[] = [];
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'COPY_CODE') continue;
      const path = `${b.path}/example`;
      const example = b.button.example;
      if (typeof example !== 'string' || example.trim() === '') {
        out.push(finding(this.id, 'error', path, 'The copy-code button has no example code.', 'Add "example": "25OFF", a sample of the code this button copies.'));
        continue;
      }
      const length = [...example].length;
      if (length > COPY_CODE_LIMITS.documented) {
        out.push(finding(this.id, 'error', path, `The example code "${example}" is ${length} characters; Meta allows ${COPY_CODE_LIMITS.documented}.`, `Use a code of at most ${COPY_CODE_LIMITS.cautious} characters.`));
      } else if (length > COPY_CODE_LIMITS.cautious) {
        out.push(
          finding(
            this.id,
            'warning',
            path,
            `The example code "${example}" is ${length} characters; Meta's coupon code templates have been limited to ${COPY_CODE_LIMITS.cautious}, although its component reference now allows ${COPY_CODE_LIMITS.documented}.`,
            `Use a code of at most ${COPY_CODE_LIMITS.cautious} characters, or acknowledge this warning.`,
          ),
        );
      }
    }
    return out;
  },
};
