import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix } from './matrix.js';
import type { Template } from '../store/template-records.js';

const t = (name: string, language: string, status: string | null, live = true): Template =>
  ({ id: `tpl_${name}_${language}`, workspaceId: 'ws', wabaId: 'waba', name, language, category: 'UTILITY', providerStatus: status, liveVersionId: live ? 'v' : null, submittedVersionId: null } as Template);

describe('localisation matrix', () => {
  it('lists every template name with its translations and flags missing and unsendable required languages', () => {
    const rows = buildMatrix([t('order_update', 'en_US', 'APPROVED'), t('order_update', 'pt_BR', 'PAUSED'), t('welcome', 'es', null, false)], ['en_US', 'pt_BR', 'es']);
    assert.deepEqual(rows.map((r) => [r.name, r.languages.map((l) => `${l.language}:${l.status}:${l.sendable}`), r.missing, r.notSendable]), [
      ['order_update', ['en_US:APPROVED:true', 'pt_BR:PAUSED:false'], ['es'], ['pt_BR']],
      ['welcome', ['es:DRAFT:false'], ['en_US', 'pt_BR'], ['es']],
    ]);
  });
});
