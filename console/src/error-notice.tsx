import { ApiError } from './api.js';

/** An API error as the console shows it: what went wrong, and the API's hint on what to do next. */
export function ErrorNotice({ error }: { error: unknown }) {
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="error" role="alert">
      <p>{api ? api.message : 'Something went wrong.'}</p>
      {api?.hint ? <p className="hint">{api.hint}</p> : null}
    </div>
  );
}
