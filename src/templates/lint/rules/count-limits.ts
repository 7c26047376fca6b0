import { placeholderKeys } from '../../../template-text/placeholders.js';
import { buttonSites, componentSite, textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

export const MAX = { buttons: 10, quickReplies: 10, url: 2, phone: 1, copyCode: 1, headerVariables: 1, footerVariables: 0, urlVariables: 1 } as const;

// Meta's count limits: buttons in total and per type, one variable in a text header, none in the footer,
// one variable (the suffix) in a URL.
export const rule: LintRule = {
  id: 'count-limits',
  description: `At most ${MAX.buttons} buttons (${MAX.url} URL, ${MAX.phone} phone, ${MAX.copyCode} copy-code), ${MAX.headerVariables} variable in a text header, none in the footer, ${MAX.urlVariables} in a URL.`,
  check(template) {
    const out: Finding[] = [];
    const buttons = buttonSites(template);
    const buttonsPath = componentSite(template, 'BUTTONS')?.path ?? '/components';
    const count = (type: string) => buttons.filter((b) => b.button.type === type).length;
    const cap = (n: number, max: number, what: string) => {
      if (n > max) out.push(finding(this.id, 'error', `${buttonsPath}/buttons`, `The template has ${n} ${what}; Meta allows ${max}.`, `Remove ${n - max} ${what}.`));
    };
    cap(buttons.length, MAX.buttons, 'buttons');
    cap(count('QUICK_REPLY'), MAX.quickReplies, 'quick-reply buttons');
    cap(count('URL'), MAX.url, 'URL buttons');
    cap(count('PHONE_NUMBER'), MAX.phone, 'phone buttons');
    cap(count('COPY_CODE'), MAX.copyCode, 'copy-code buttons');
    for (const site of textSites(template)) {
      const n = placeholderKeys(site.text).length;
      if (site.where === 'header' && n > MAX.headerVariables) out.push(finding(this.id, 'error', site.path, `The header has ${n} variables; Meta allows ${MAX.headerVariables}.`, 'Keep one variable in the header and move the others to the body.'));
      if (site.where === 'footer' && n > MAX.footerVariables) out.push(finding(this.id, 'error', site.path, 'The footer has variables; Meta allows none there.', 'Write the footer as fixed text and move the variables to the body.'));
    }
    for (const b of buttons) {
      if (b.button.type !== 'URL' || typeof b.button.url !== 'string') continue;
      const n = placeholderKeys(b.button.url).length;
      if (n > MAX.urlVariables) out.push(finding(this.id, 'error', `${b.path}/url`, `The URL has ${n} variables; Meta allows ${MAX.urlVariables}.`, 'Keep a single {{1}} at the end of the URL.'));
    }
    return out;
  },
};
