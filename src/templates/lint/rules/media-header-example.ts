import { isRecord } from '../../../template-text/template-shape.js';
import { componentSite } from '../subject.js';
import { finding, type LintRule } from '../types.js';

// Meta reviews media headers with a sample file, uploaded through the Resumable Upload API and named by
// its handle (`4::aW...`) in example.header_handle; without it the template is rejected.
export const rule: LintRule = {
  id: 'media-header-example',
  description: 'An IMAGE, VIDEO or DOCUMENT header has a sample media handle in example.header_handle.',
  check(template) {
    const site = componentSite(template, 'HEADER');
    if (!site || !['IMAGE', 'VIDEO', 'DOCUMENT'].includes(site.component.format as string)) return [];
    const example = isRecord(site.component.example) ? site.component.example : {};
    const handles = example.header_handle;
    if (Array.isArray(handles) && typeof handles[0] === 'string' && handles[0].trim() !== '') return [];
    return [
      finding(
        this.id,
        'error',
        `${site.path}/example/header_handle`,
        `The ${String(site.component.format).toLowerCase()} header has no sample media.`,
        'Upload a sample with the Resumable Upload API and set "example": { "header_handle": ["4::..."] }.',
      ),
    ];
  },
};
