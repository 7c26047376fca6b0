// Follows the live stream (GET /v1/stream, decision 0020) and reports each event's type and
// conversation. Read with fetch rather than EventSource because EventSource delivers named events
// only to listeners of each name, and the console wants every type. It reconnects after a drop,
// resuming after the last event id, and stops when the session has ended. Each time it (re)opens it
// says so: what changed before that moment is not on the stream, so the caller refetches.

export interface StreamEvent {
  type: string;
  conversationId: string | null;
}

const RECONNECT_MS = 1000;

/** Parses the complete frames in `buffer`; returns them and what is left (an unfinished frame). */
export function parseFrames(buffer: string): { frames: Array<{ id: string | null; event: string | null; data: string }>; rest: string } {
  const parts = buffer.split('\n\n');
  const rest = parts.pop() ?? '';
  const frames = parts.map((part) => {
    let id: string | null = null;
    let event: string | null = null;
    const data: string[] = [];
    for (const line of part.split('\n')) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    return { id, event, data: data.join('\n') };
  });
  return { frames, rest };
}

/** Starts following the stream; the returned function stops it. */
export function followStream(handlers: { onOpen: () => void; onEvent: (event: StreamEvent) => void; onEnded: () => void }): () => void {
  const { onOpen, onEvent, onEnded } = handlers;
  const controller = new AbortController();
  let lastId: string | null = null;

  async function once(): Promise<'again' | 'ended'> {
    const response = await fetch('/v1/stream', {
      headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (response.status === 401 || response.status === 403) return 'ended';
    if (!response.ok || !response.body) return 'again';
    onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'again';
      const parsed = parseFrames(buffer + value.replace(/\r\n/g, '\n'));
      buffer = parsed.rest;
      for (const frame of parsed.frames) {
        if (frame.id) lastId = frame.id;
        if (!frame.event) continue;
        let conversationId: string | null = null;
        try {
          conversationId = (JSON.parse(frame.data) as { conversationId?: string }).conversationId ?? null;
        } catch {
          // A frame without JSON data still says something changed.
        }
        onEvent({ type: frame.event, conversationId });
      }
    }
  }

  void (async () => {
    while (!controller.signal.aborted) {
      const outcome = await once().catch(() => 'again' as const);
      if (outcome === 'ended') return onEnded();
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  })();
  return () => controller.abort();
}
