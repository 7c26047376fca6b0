import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import type { Template, Version } from './templates-api.js';

const STATE_TEXT: Record<string, string> = {
  draft: 'is a draft waiting for review by someone other than its author.',
  changes_requested: 'was sent back with changes requested. Save an edit above, or approve it as it is.',
  approved: 'is approved inside Parley and ready to submit to WhatsApp.',
  submitted: 'is submitted; WhatsApp is reviewing it. Its status changes here when WhatsApp answers.',
  live: 'is live: sends use it.',
  rejected: 'was rejected by WhatsApp. Save an edit above to try again.',
  superseded: 'was replaced by a newer version.',
};

/** Internal review (approve, request changes) and submission of the latest version, for those who may. */
export function ReviewPanel({ template, version, userId, canWrite, canSubmit }: { template: Template; version: Version; userId: string; canWrite: boolean; canSubmit: boolean }) {
  const id = useId();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const done = () => client.invalidateQueries({ queryKey: ['templates'] });
  const base = `/v1/templates/${template.id}/versions/${version.number}`;
  const review = useMutation({
    mutationFn: (outcome: 'approve' | 'request-changes') => api<Version>(`${base}/${outcome}`, { method: 'POST', body: note.trim() ? { note: note.trim() } : {} }),
    onSuccess: () => { setNote(''); return done(); },
  });
  const submit = useMutation({
    mutationFn: () => api<{ template: Template; version: Version }>(`${base}/submit`, { method: 'POST', body: { acknowledgedWarnings: acknowledged } }),
    onSuccess: done,
  });

  const reviewable = version.state === 'draft' || version.state === 'changes_requested';
  const ownVersion = version.authorKeyId !== null && version.authorKeyId === userId;
  const errors = version.lint.filter((f) => f.severity === 'error');
  const warnings = [...new Set(version.lint.filter((f) => f.severity === 'warning').map((f) => f.ruleId))];
  const showReview = canWrite && reviewable;
  const showSubmit = canSubmit && version.state === 'approved';

  return (
    <section className="panel" aria-labelledby="review-heading">
      <h2 id="review-heading">Review and submit</h2>
      <p>Version {version.number} {STATE_TEXT[version.state] ?? `is ${version.state}.`}</p>
      {version.reviewNote ? <p className="muted">Review note: {version.reviewNote}</p> : null}
      {showReview ? (
        <div className="review">
          <label htmlFor={`${id}-note`}>Note for the author (optional)</label>
          <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          {ownVersion ? <p className="muted" id={`${id}-own`}>You wrote this version, so someone else approves it. You can still request changes to your own version.</p> : null}
          <div className="actions">
            <button type="button" disabled={ownVersion || review.isPending} aria-describedby={ownVersion ? `${id}-own` : undefined} onClick={() => review.mutate('approve')}>Approve version {version.number}</button>
            <button type="button" className="secondary" disabled={review.isPending} onClick={() => review.mutate('request-changes')}>Request changes</button>
          </div>
          {review.error ? <ErrorNotice error={review.error} /> : null}
        </div>
      ) : null}
      {showSubmit ? (
        <div className="submit">
          {errors.length ? <p>This version has {errors.length} lint error{errors.length === 1 ? '' : 's'}; WhatsApp would reject it. Save a fixed version first.</p> : null}
          {warnings.length ? (
            <fieldset>
              <legend>Acknowledge each warning to submit</legend>
              {warnings.map((ruleId) => (
                <label key={ruleId} className="check">
                  <input type="checkbox" checked={acknowledged.includes(ruleId)} onChange={(e) => setAcknowledged(e.target.checked ? [...acknowledged, ruleId] : acknowledged.filter((r) => r !== ruleId))} />
                  <span>I have read <code>{ruleId}</code>: {version.lint.find((f) => f.ruleId === ruleId)!.message}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <button type="button" disabled={submit.isPending || errors.length > 0 || warnings.some((w) => !acknowledged.includes(w))} onClick={() => submit.mutate()}>Submit version {version.number} to WhatsApp</button>
          {submit.error ? <ErrorNotice error={submit.error} /> : null}
        </div>
      ) : null}
      {!showReview && !showSubmit && (reviewable || version.state === 'approved') ? (
        <p className="muted">Your role does not {reviewable ? 'review' : 'submit'} templates; a developer or an admin does.</p>
      ) : null}
    </section>
  );
}
