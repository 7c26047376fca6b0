import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, uploadFile } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { TemplatePicker, missingParameters, templateParams, type ParameterValues } from './template-picker.js';
import type { CannedReply, ServiceWindow, UsableTemplate } from './types.js';

export type ComposerMode = 'reply' | 'note';
export interface ComposerHandle {
  focus: (mode: ComposerMode) => void;
}

const EMOJI = ['😀', '😊', '🙂', '😉', '😅', '🙏', '👍', '👌', '👋', '🎉', '❤️', '✅', '⏳', '📦', '🚚', '📞', '✉️', '💬', '🤔', '😔', '🙌', '⭐', '🔧', '💳'];
const MEDIA_TYPES = ['image', 'document', 'video', 'audio'] as const;
/** Variables Parley fills in a canned reply itself. */
const FILLED = new Set(['contact.name', 'agent.name', 'conversation.id']);

interface Draft {
  mode: ComposerMode;
  text: string;
  canned: CannedReply | null;
  variables: Record<string, string>;
  /**
   * A file to upload and send (`file`; `mediaId` once uploaded, so a send that failed after the upload
   * does not upload again), or a public link to one.
   */
  attach: { type: (typeof MEDIA_TYPES)[number]; link: string; file: File | null; mediaId: string | null } | null;
  template: UsableTemplate | null;
  values: ParameterValues;
  useTemplate: boolean;
}
const EMPTY: Draft = { mode: 'reply', text: '', canned: null, variables: {}, attach: null, template: null, values: {}, useTemplate: false };
/** Drafts by conversation: switching to another conversation and back keeps what was typed. */
const drafts = new Map<string, Draft>();

/** The message type a file is sent as, by its MIME type (what Parley's upload accepts for each). */
export function mediaTypeOf(mimeType: string): (typeof MEDIA_TYPES)[number] {
  if (mimeType === 'image/jpeg' || mimeType === 'image/png') return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}

const hoursAgo = (iso: string) => Math.max(1, Math.round((Date.now() - Date.parse(iso)) / 3_600_000));

/** Why only templates may be sent, in the agent's words. */
export function windowReason(w: ServiceWindow): string {
  if (w.lastInboundAt === null) return 'The customer has never written to this number: only templates may be sent.';
  return `The customer last wrote ${hoursAgo(w.lastInboundAt)} h ago: only templates may be sent.`;
}

export const Composer = forwardRef<ComposerHandle, { conversationId: string; window: ServiceWindow | undefined; canReply: boolean; onSent: () => void }>(function Composer({ conversationId, window: win, canReply, onSent }, ref) {
  const id = useId();
  const client = useQueryClient();
  const [draft, setDraftState] = useState<Draft>(() => drafts.get(conversationId) ?? EMPTY);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  const setDraft = (next: Draft) => {
    drafts.set(conversationId, next);
    setDraftState(next);
  };
  useEffect(() => setDraftState(drafts.get(conversationId) ?? EMPTY), [conversationId]);
  useImperativeHandle(ref, () => ({
    focus: (mode) => {
      const next = { ...(drafts.get(conversationId) ?? EMPTY), mode };
      drafts.set(conversationId, next);
      setDraftState(next);
      // The text box may only appear after this render (the note box is always there).
      requestAnimationFrame(() => text.current?.focus());
    },
  }), [conversationId]);

  const canned = useQuery({ queryKey: ['canned-replies'], queryFn: () => api<{ data: CannedReply[] }>('/v1/canned-replies?limit=500').then((r) => r.data), enabled: canReply, staleTime: 60_000 });

  const templateOnly = draft.mode === 'reply' && win !== undefined && !win.open;
  const showTemplates = draft.mode === 'reply' && (templateOnly || draft.useTemplate);

  const send = useMutation({
    mutationFn: async () => {
      if (draft.mode === 'note') return api(`/v1/conversations/${conversationId}/notes`, { method: 'POST', body: { text: draft.text } });
      if (showTemplates) {
        const t = draft.template!;
        // The server renders the template object exactly as it will be sent (and refuses wrong parameters).
        const rendered = await api<{ cloud: Record<string, unknown> }>(`/v1/templates/${t.id}/preview`, { method: 'POST', body: { params: templateParams(t, draft.values) } });
        return api(`/v1/conversations/${conversationId}/messages`, { method: 'POST', body: { type: 'template', template: rendered.cloud } });
      }
      if (draft.canned) {
        const variables = Object.fromEntries(Object.entries(draft.variables).filter(([name]) => !FILLED.has(name)));
        return api(`/v1/conversations/${conversationId}/messages`, { method: 'POST', body: { canned: draft.canned.shortcut, variables } });
      }
      if (draft.attach) {
        const caption = draft.text.trim() && draft.attach.type !== 'audio' ? { caption: draft.text } : {};
        let source: Record<string, string> = { link: draft.attach.link.trim() };
        if (draft.attach.file) {
          let mediaId = draft.attach.mediaId;
          if (!mediaId) {
            // Upload first; the draft keeps the upload's id, so a send refused after it does not upload again.
            mediaId = (await uploadFile(draft.attach.file)).id;
            const current = drafts.get(conversationId);
            if (current?.attach?.file === draft.attach.file) setDraft({ ...current, attach: { ...current.attach, mediaId } });
          }
          source = { mediaId, ...(draft.attach.type === 'document' ? { filename: draft.attach.file.name.slice(0, 240) } : {}) };
        }
        return api(`/v1/conversations/${conversationId}/messages`, { method: 'POST', body: { type: draft.attach.type, [draft.attach.type]: { ...source, ...caption } } });
      }
      return api(`/v1/conversations/${conversationId}/messages`, { method: 'POST', body: { type: 'text', text: { body: draft.text } } });
    },
    // Only a send that went clears the draft: a refused one keeps every word.
    onSuccess: () => {
      setDraft({ ...EMPTY, mode: draft.mode });
      void client.invalidateQueries({ queryKey: ['conversation', conversationId] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
      onSent();
    },
  });

  if (!canReply) return <p className="muted">Your role reads this conversation but does not reply to it.</p>;

  const missing = showTemplates && draft.template ? missingParameters(draft.template, draft.values) : [];
  const ready = draft.mode === 'note'
    ? draft.text.trim() !== ''
    : showTemplates
      ? draft.template !== null && missing.length === 0
      : draft.canned
        ? draft.canned.variables.every((v) => FILLED.has(v) || (draft.variables[v] ?? '').trim())
        : draft.attach ? draft.attach.file !== null || /^https?:\/\/\S+$/.test(draft.attach.link.trim()) : draft.text.trim() !== '';

  const insert = (emoji: string) => {
    const el = text.current;
    const at = el?.selectionStart ?? draft.text.length;
    setDraft({ ...draft, text: draft.text.slice(0, at) + emoji + draft.text.slice(el?.selectionEnd ?? at) });
    setEmojiOpen(false);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + emoji.length, at + emoji.length);
    });
  };

  return (
    <form className={`composer mode-${draft.mode}`} aria-label="Reply" onSubmit={(e) => { e.preventDefault(); if (ready && !send.isPending) send.mutate(); }}>
      <div className="tabs" role="radiogroup" aria-label="Write">
        <label><input type="radio" name={`${id}-mode`} checked={draft.mode === 'reply'} onChange={() => setDraft({ ...draft, mode: 'reply' })} /> Reply to the customer</label>
        <label><input type="radio" name={`${id}-mode`} checked={draft.mode === 'note'} onChange={() => setDraft({ ...draft, mode: 'note' })} /> Private note</label>
      </div>
      {templateOnly ? <p className="window-closed" role="status">{windowReason(win!)}</p> : null}
      {showTemplates ? (
        <>
          <TemplatePicker templates={win?.templates ?? []} chosen={draft.template} onChoose={(t) => setDraft({ ...draft, template: t, values: {} })} values={draft.values} onValues={(values) => setDraft({ ...draft, values })} />
          {!templateOnly ? <button type="button" className="link" onClick={() => setDraft({ ...draft, useTemplate: false })}>Write free text instead</button> : null}
        </>
      ) : draft.canned ? (
        <fieldset className="canned">
          <legend>Canned reply /{draft.canned.shortcut}</legend>
          <p className="text">{draft.canned.text}</p>
          {draft.canned.variables.filter((v) => !FILLED.has(v)).map((v) => (
            <div className="row" key={v}>
              <label htmlFor={`${id}-var-${v}`}>{v}</label>
              <input id={`${id}-var-${v}`} value={draft.variables[v] ?? ''} onChange={(e) => setDraft({ ...draft, variables: { ...draft.variables, [v]: e.target.value } })} />
            </div>
          ))}
          <button type="button" className="link" onClick={() => setDraft({ ...draft, canned: null, variables: {} })}>Write my own reply instead</button>
        </fieldset>
      ) : (
        <>
          <label htmlFor={`${id}-text`} className="visually-hidden">{draft.mode === 'note' ? 'Private note (never sent to the customer)' : draft.attach ? 'Caption' : 'Reply'}</label>
          <textarea id={`${id}-text`} ref={text} rows={3} value={draft.text} placeholder={draft.mode === 'note' ? 'A private note for your colleagues: never sent to the customer' : draft.attach ? 'Caption (optional)' : 'Write a reply… (Ctrl+Enter sends)'}
            onChange={(e) => setDraft({ ...draft, text: e.target.value })}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (ready && !send.isPending) send.mutate(); } }} />
          {draft.mode === 'reply' && draft.attach ? (
            <fieldset className="attach">
              <legend>Attachment</legend>
              <div className="row">
                <label htmlFor={`${id}-media-file`}>File to send</label>
                <input id={`${id}-media-file`} type="file" accept="image/jpeg,image/png,video/mp4,video/3gpp,audio/aac,audio/amr,audio/mpeg,audio/mp4,audio/ogg,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                  aria-describedby={`${id}-media-help`}
                  onChange={(e) => { const file = e.target.files?.[0] ?? null; setDraft({ ...draft, attach: { ...draft.attach!, file, mediaId: null, ...(file ? { type: mediaTypeOf(file.type), link: '' } : {}) } }); }} />
              </div>
              {draft.attach.file ? (
                <p className="muted" role="status">{draft.attach.file.name} ({Math.max(1, Math.round(draft.attach.file.size / 1024))} KB), sent as {draft.attach.type}.</p>
              ) : (
                <>
                  <div className="row">
                    <label htmlFor={`${id}-media-type`}>Kind</label>
                    <select id={`${id}-media-type`} value={draft.attach.type} onChange={(e) => setDraft({ ...draft, attach: { ...draft.attach!, type: e.target.value as (typeof MEDIA_TYPES)[number] } })}>
                      {MEDIA_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                    </select>
                  </div>
                  <div className="row">
                    <label htmlFor={`${id}-media-link`}>Or a public link (https://…)</label>
                    <input id={`${id}-media-link`} type="url" value={draft.attach.link} onChange={(e) => setDraft({ ...draft, attach: { ...draft.attach!, link: e.target.value } })} />
                  </div>
                </>
              )}
              <p className="muted" id={`${id}-media-help`}>Images (JPEG, PNG) up to 5 MB; video, audio up to 16 MB; PDF, text and Office documents. Parley uploads the file when you send.</p>
              <button type="button" className="link" onClick={() => setDraft({ ...draft, attach: null })}>Remove the attachment</button>
            </fieldset>
          ) : null}
        </>
      )}
      <div className="composer-tools">
        {!showTemplates && !draft.canned ? (
          <div className="emoji">
            <button type="button" className="secondary" aria-expanded={emojiOpen} aria-controls={`${id}-emoji`} onClick={() => setEmojiOpen(!emojiOpen)}>Emoji</button>
            {emojiOpen ? (
              <div id={`${id}-emoji`} className="emoji-grid" role="group" aria-label="Emoji">
                {EMOJI.map((e) => <button type="button" key={e} aria-label={`Insert ${e}`} onClick={() => insert(e)}>{e}</button>)}
              </div>
            ) : null}
          </div>
        ) : null}
        {draft.mode === 'reply' && !showTemplates && !draft.canned && !draft.attach ? (
          <>
            <button type="button" className="secondary" onClick={() => { setDraft({ ...draft, attach: { type: 'image', link: '', file: null, mediaId: null } }); requestAnimationFrame(() => document.getElementById(`${id}-media-file`)?.focus()); }}>Attach a file</button>
            {canned.data?.length ? (
              <select aria-label="Canned reply" value="" onChange={(e) => { const c = canned.data?.find((r) => r.id === e.target.value); if (c) setDraft({ ...draft, canned: c, variables: {} }); }}>
                <option value="">Canned reply…</option>
                {canned.data.map((c) => <option key={c.id} value={c.id}>/{c.shortcut}: {c.text.slice(0, 40)}</option>)}
              </select>
            ) : null}
            {win?.templates.length ? <button type="button" className="secondary" onClick={() => setDraft({ ...draft, useTemplate: true })}>Use a template</button> : null}
          </>
        ) : null}
        <button type="submit" disabled={!ready || send.isPending}>{send.isPending ? 'Sending…' : draft.mode === 'note' ? 'Add note' : showTemplates ? 'Send template' : 'Send'}</button>
      </div>
      {missing.length ? <p className="muted">Fill in every parameter to send: {missing.map((p) => `{{${p.name}}}`).join(', ')}.</p> : null}
      {send.error ? <ErrorNotice error={send.error} /> : null}
    </form>
  );
});
