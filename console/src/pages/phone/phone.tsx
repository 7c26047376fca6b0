import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorNotice } from '../../error-notice.js';
import { Bubble } from './bubble.js';
import { chatKey, phoneKey, readAsCustomer, readChat, readPhone, sendAsCustomer, setBlocked, type ChatEntry, type CustomerMessage } from './phone-api.js';
import './phone.css';

/** How often the open chat asks for what the business sent (the emulator has no stream of its own). */
const CHAT_REFRESH_MS = 1_500;
const OTHER = 'other';
const REACTIONS = ['👍', '❤️', '😂'] as const;

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** A small generated photo (a gradient with the time on it), as PNG bytes in base64. */
function generatedPhoto(): string {
  const canvas = document.createElement('canvas');
  canvas.width = 96;
  canvas.height = 96;
  const g = canvas.getContext('2d')!;
  const gradient = g.createLinearGradient(0, 0, 96, 96);
  gradient.addColorStop(0, `hsl(${Math.floor(Math.random() * 360)} 70% 55%)`);
  gradient.addColorStop(1, '#075e54');
  g.fillStyle = gradient;
  g.fillRect(0, 0, 96, 96);
  g.fillStyle = '#fff';
  g.font = 'bold 16px sans-serif';
  g.fillText(new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), 12, 54);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** The conversation a docked phone follows: its sender and its customer's number (digits). */
export interface PhoneFollow {
  senderId: string;
  phone: string;
}

const UNSUPPORTED_ON_ULTRAMSG = 'UltraMsg has no buttons, lists or reactions, and the emulator\'s UltraMsg customers share no locations: the business\'s templates and menus arrive here as text, and reading is acked by the instance itself.';

/**
 * The emulator phone: pick one of the workspace's numbers on the built-in emulator (Cloud API or
 * UltraMsg) and a customer, and act as that customer. The chat shows what the business sent as
 * WhatsApp shows it; taps, replies, locations, photos, reactions and blocking go to the emulator, which
 * sends Parley its webhooks. Reading the chat sends read statuses for what was delivered (Cloud API).
 *
 * `follow` (the inbox's docked phone): while set to one of the numbers, the phone switches to that number
 * and customer whenever it changes; the pickers stay free to change by hand until the next change.
 */
export function EmulatorPhone({ follow = null }: { follow?: PhoneFollow | null }) {
  const setup = useQuery({ queryKey: phoneKey, queryFn: readPhone });
  const [senderId, setSenderId] = useState('');
  const [choice, setChoice] = useState('');
  const [otherPhone, setOtherPhone] = useState('');
  const ids = { number: useId(), customer: useId(), other: useId() };

  const numbers = setup.data?.numbers ?? [];
  const customers = setup.data?.customers ?? [];
  // The conversation followed, when its sender is on the emulator: its customer is picked (a known
  // customer with their persona, another number as typed), once per change of conversation.
  const followKey = follow && numbers.some((n) => n.senderId === follow.senderId) ? `${follow.senderId}:${follow.phone}` : '';
  const known = new Set(customers.map((c) => c.phone));
  useEffect(() => {
    if (!followKey) return;
    const [followedSender, followedPhone] = followKey.split(':') as [string, string];
    setSenderId(followedSender);
    if (known.has(followedPhone)) setChoice(followedPhone);
    else {
      setChoice(OTHER);
      setOtherPhone(followedPhone);
    }
    // `known` is read when the conversation changes, not followed itself: a new customer in the list
    // does not move the phone.
  }, [followKey]);

  const number = numbers.find((n) => n.senderId === senderId) ?? numbers[0];
  const picked = choice || customers[0]?.phone || OTHER;
  const phone = picked === OTHER ? otherPhone.replace(/[^\d]/g, '') : picked;
  const validPhone = /^\d{6,15}$/.test(phone);

  return (
    <>
      {setup.error ? <ErrorNotice error={setup.error} /> : null}
      {setup.isPending ? <p role="status">Loading…</p> : null}
      {setup.data && numbers.length === 0 ? (
        <p className="empty">No Cloud API or UltraMsg sender of this workspace sends through the built-in emulator. Add one with the emulator's URL as its base URL (the demo workspace has them), then come back.</p>
      ) : null}
      {number ? (
        <div className="phone-setup">
          <div className="field">
            <label htmlFor={ids.number}>Business number</label>
            <select id={ids.number} value={number.senderId} onChange={(e) => setSenderId(e.target.value)}>
              {numbers.map((n) => <option key={n.senderId} value={n.senderId}>{n.name}{n.displayPhone ? ` (${n.displayPhone})` : ''}{n.provider === 'ultramsg' ? ', UltraMsg' : ', Cloud API'}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.customer}>Customer</label>
            <select id={ids.customer} value={picked} onChange={(e) => setChoice(e.target.value)}>
              {customers.map((c) => <option key={c.phone} value={c.phone}>{c.name} (+{c.phone}){c.persona ? `, persona ${c.persona}` : ''}</option>)}
              <option value={OTHER}>Another number…</option>
            </select>
          </div>
          {picked === OTHER ? (
            <div className="field">
              <label htmlFor={ids.other}>Customer's phone number</label>
              <input id={ids.other} inputMode="tel" autoComplete="off" placeholder="15551234567" value={otherPhone} onChange={(e) => setOtherPhone(e.target.value)} />
            </div>
          ) : null}
        </div>
      ) : null}
      {number && validPhone ? <Phone key={`${number.senderId}:${phone}`} senderId={number.senderId} businessName={number.name} ultramsg={number.provider === 'ultramsg'} phone={phone} /> : null}
      {number && !validPhone ? <p className="empty">Type the customer's phone number (6 to 15 digits, with the country code) to open their phone.</p> : null}
    </>
  );
}

/** The phone page: the emulator phone on its own. */
export function PhonePage() {
  return (
    <div className="phone-page">
      <h1>Emulator phone</h1>
      <p className="muted">Act as a customer of the built-in WhatsApp emulator: what you send reaches Parley as a real customer's message would.</p>
      <EmulatorPhone />
    </div>
  );
}

function Phone({ senderId, businessName, ultramsg, phone }: { senderId: string; businessName: string; ultramsg: boolean; phone: string }) {
  const client = useQueryClient();
  const chat = useQuery({ queryKey: chatKey(senderId, phone), queryFn: () => readChat(senderId, phone), refetchInterval: CHAT_REFRESH_MS, staleTime: 0 });
  const [draft, setDraft] = useState('');
  const [caption, setCaption] = useState('');
  const messageId = useId();
  const titleId = useId();
  const noteId = useId();
  const listEnd = useRef<HTMLLIElement>(null);

  const send = useMutation({
    mutationFn: (message: CustomerMessage) => sendAsCustomer(senderId, phone, message),
    onSuccess: () => client.invalidateQueries({ queryKey: chatKey(senderId, phone) }),
  });
  const block = useMutation({
    mutationFn: (blocked: boolean) => setBlocked(senderId, phone, blocked),
    onSuccess: () => client.invalidateQueries({ queryKey: chatKey(senderId, phone) }),
  });
  const read = useMutation({ mutationFn: () => readAsCustomer(senderId, phone) });

  const entries = chat.data?.entries ?? [];
  // The open chat is read: delivered messages not read yet get their read status (once each).
  const unread = entries.filter((e) => e.from === 'business' && e.status === 'delivered').map((e) => e.id).join(',');
  const readPending = read.isPending;
  const readMutate = read.mutate;
  useEffect(() => {
    // UltraMsg instances ack reading by themselves: nothing to send for them.
    if (unread && !readPending && !ultramsg) readMutate();
  }, [unread, readPending, readMutate, ultramsg]);
  const count = entries.length;
  useEffect(() => {
    listEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);

  const reactions = new Map<string, string>();
  for (const e of entries) if (e.type === 'reaction' && e.from === 'customer' && typeof e.content.message_id === 'string') reactions.set(e.content.message_id, String(e.content.emoji ?? ''));
  const shown = entries.filter((e) => e.type !== 'reaction');
  const customer = chat.data?.customer;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    // The draft is cleared only once the message is accepted: a refusal keeps what was typed.
    send.mutate({ type: 'text', text: { body } }, { onSuccess: () => setDraft('') });
  };

  return (
    <section className="phone" aria-labelledby={titleId} aria-describedby={ultramsg ? noteId : undefined}>
      <header className="phone-bar">
        <h2 id={titleId}>{businessName}</h2>
        <p>as {customer?.name ?? 'customer'} (+{phone}){customer?.blocked ? ', business blocked' : ''}</p>
      </header>
      {ultramsg ? <p id={noteId} className="phone-note">{UNSUPPORTED_ON_ULTRAMSG}</p> : null}
      {chat.error ? <ErrorNotice error={chat.error} /> : null}
      <ol className="phone-chat" aria-label="Chat">
        {chat.data && shown.length === 0 ? <li className="phone-empty">No messages yet. Write to the business below, or send this customer a message from Parley.</li> : null}
        {shown.map((entry) => (
          <Message key={entry.id} entry={entry} reaction={reactions.get(entry.id)} answer={(m) => send.mutate(m)} react={ultramsg ? null : (emoji) => send.mutate({ type: 'reaction', reaction: { messageId: entry.id, emoji } })} />
        ))}
        <li ref={listEnd} className="phone-end" aria-hidden="true" />
      </ol>
      {send.error ? <ErrorNotice error={send.error} /> : null}
      {block.error ? <ErrorNotice error={block.error} /> : null}
      <form className="phone-compose" onSubmit={submit}>
        <label htmlFor={messageId} className="visually-hidden">Message</label>
        <textarea id={messageId} rows={1} placeholder="Message" value={draft} onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) submit(e); }} />
        <button type="submit" disabled={send.isPending || !draft.trim()}>Send</button>
      </form>
      <div className="phone-actions" role="group" aria-label="More">
        <label className="phone-caption">Photo caption <input value={caption} onChange={(e) => setCaption(e.target.value)} /></label>
        <button type="button" disabled={send.isPending} onClick={() => send.mutate({ type: 'image', image: { dataBase64: generatedPhoto(), mimeType: 'image/png', ...(caption.trim() ? { caption: caption.trim() } : {}) } }, { onSuccess: () => setCaption('') })}>Send photo</button>
        {ultramsg ? null : <button type="button" disabled={send.isPending} onClick={() => send.mutate({ type: 'location', location: { latitude: 38.7223, longitude: -9.1393, name: 'Praça do Comércio', address: 'Lisbon, Portugal' } })}>Share location</button>}
        <button type="button" disabled={send.isPending} onClick={() => send.mutate({ type: 'text', text: { body: 'STOP' } })}>Reply STOP</button>
        <button type="button" disabled={block.isPending || !customer} onClick={() => block.mutate(!customer?.blocked)}>{customer?.blocked ? 'Unblock business' : 'Block business'}</button>
      </div>
    </section>
  );
}

function Message({ entry, reaction, answer, react }: { entry: ChatEntry; reaction: string | undefined; answer: (m: CustomerMessage) => void; react: ((emoji: string) => void) | null }) {
  const mine = entry.from === 'customer';
  return (
    <li className={`wa-bubble ${mine ? 'mine' : 'theirs'}`}>
      <span className="visually-hidden">{mine ? 'You:' : 'Business:'} </span>
      <Bubble entry={entry} answer={answer} />
      <p className="wa-meta">
        <time dateTime={entry.at}>{time(entry.at)}</time>
        {entry.status === 'failed' ? <span className="wa-failed"> · not delivered{entry.errorCode ? ` (${entry.errorCode})` : ''}</span> : null}
      </p>
      {reaction ? <p className="wa-reaction" aria-label={`You reacted ${reaction}`}>{reaction}</p> : null}
      {!mine && react ? (
        <div className="wa-react" role="group" aria-label="React">
          {REACTIONS.map((emoji) => (
            <button key={emoji} type="button" aria-pressed={reaction === emoji} aria-label={`React ${emoji}`} onClick={() => react(reaction === emoji ? '' : emoji)}>{emoji}</button>
          ))}
        </div>
      ) : null}
    </li>
  );
}
