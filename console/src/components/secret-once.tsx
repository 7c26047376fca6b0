import { useState } from 'react';

/**
 * A secret the API returns once (a new API key, a generated signing secret): shown with a copy button
 * and a warning, kept only in the memory of the page that asked for it, so it is gone once left.
 */
export function SecretOnce({ label, value, warning, onDone }: { label: string; value: string; warning: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(value).then(() => setCopied('yes'), () => setCopied('failed'));
  };
  return (
    <div className="secret-once" role="region" aria-label={label}>
      <p className="warning"><strong>Copy it now.</strong> {warning}</p>
      <label>
        {label}
        <input type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} className="secret" />
      </label>
      <div className="actions">
        <button type="button" onClick={copy}>Copy</button>
        <button type="button" className="secondary" onClick={onDone}>I have stored it</button>
        <span role="status">{copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused to copy: select the text and copy it yourself.' : ''}</span>
      </div>
    </div>
  );
}
