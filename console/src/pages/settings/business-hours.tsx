import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorNotice } from '../../error-notice.js';
import type { SectionProps } from './settings-page.js';

const DAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];
interface Interval { start: string; end: string }
interface BusinessHours { timeZone: string; week: Partial<Record<Day, Interval[]>>; holidays: string[] }

const KEY = ['settings', 'business-hours'] as const;
const PATH = '/v1/conversations/settings/business-hours';

/** The workspace's business hours: SLA clocks and business-hour metrics count only while open. */
export function BusinessHoursSection({ can }: SectionProps) {
  const hours = useQuery({ queryKey: KEY, queryFn: () => api<{ businessHours: BusinessHours | null }>(PATH).then((r) => r.businessHours) });
  return (
    <section aria-labelledby="hours-heading">
      <h2 id="hours-heading">Business hours</h2>
      <p className="muted">SLA policies that count business hours, and the business-hour figures of the metrics, run only while the workspace is open.</p>
      {hours.isPending ? <p role="status">Loading business hours…</p> : null}
      {hours.error ? <ErrorNotice error={hours.error} /> : null}
      {hours.isSuccess ? (
        hours.data === null && !can('settings.manage') ? <p className="empty">No business hours are set. An admin can set them here.</p> : <HoursForm initial={hours.data} editable={can('settings.manage')} />
      ) : null}
    </section>
  );
}

const EMPTY_WEEK: Record<Day, Interval[]> = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }], sat: [], sun: [] };

function HoursForm({ initial, editable }: { initial: BusinessHours | null; editable: boolean }) {
  const client = useQueryClient();
  // Edited here until saved: a refused save keeps every field as typed.
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [week, setWeek] = useState<Record<Day, Interval[]>>(initial ? Object.fromEntries(DAYS.map(([d]) => [d, initial.week[d] ?? []])) as Record<Day, Interval[]> : EMPTY_WEEK);
  const [holidays, setHolidays] = useState((initial?.holidays ?? []).join('\n'));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: BusinessHours) => api<{ businessHours: BusinessHours }>(PATH, { method: 'PUT', body }),
    onSuccess: (answer) => { setSaved(true); client.setQueryData(KEY, answer.businessHours); },
  });
  const remove = useMutation({
    mutationFn: () => api<void>(PATH, { method: 'DELETE' }),
    onSuccess: () => client.setQueryData(KEY, null),
  });
  const changeInterval = (day: Day, index: number, change: Partial<Interval>) => {
    setSaved(false);
    setWeek((w) => ({ ...w, [day]: w[day].map((iv, i) => (i === index ? { ...iv, ...change } : iv)) }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const days = holidays.split(/[\s,]+/).filter(Boolean);
    save.mutate({ timeZone: timeZone.trim(), week: Object.fromEntries(DAYS.filter(([d]) => week[d].length).map(([d]) => [d, week[d]])), holidays: days });
  };

  return (
    <form className="panel" onSubmit={submit} aria-label="Business hours">
      {initial === null ? <p className="empty">No business hours are set yet: the week below is a suggestion until you save it.</p> : null}
      <fieldset disabled={!editable}>
        <label htmlFor="hours-zone">Time zone</label>
        <input id="hours-zone" required maxLength={64} value={timeZone} onChange={(e) => { setSaved(false); setTimeZone(e.target.value); }} aria-describedby="hours-zone-help" />
        <p id="hours-zone-help" className="muted">An IANA name such as Europe/Berlin or America/New_York.</p>
        <table className="week">
          <caption>Opening hours per weekday (a day without hours is closed)</caption>
          <tbody>
            {DAYS.map(([day, label]) => (
              <tr key={day}>
                <th scope="row">{label}</th>
                <td>
                  {week[day].length === 0 ? <span className="muted">Closed</span> : null}
                  {week[day].map((iv, i) => (
                    <span className="interval" key={i}>
                      <input type="time" required aria-label={`${label} opens at${week[day].length > 1 ? ` (period ${i + 1})` : ''}`} value={iv.start} onChange={(e) => changeInterval(day, i, { start: e.target.value })} />
                      <span aria-hidden="true">–</span>
                      <input type="time" required aria-label={`${label} closes at${week[day].length > 1 ? ` (period ${i + 1})` : ''}`} value={iv.end} onChange={(e) => changeInterval(day, i, { end: e.target.value })} />
                      <button type="button" className="secondary" onClick={() => { setSaved(false); setWeek((w) => ({ ...w, [day]: w[day].filter((_, j) => j !== i) })); }}>Remove<span className="visually-hidden"> {label} period {i + 1}</span></button>
                    </span>
                  ))}
                  <button type="button" className="secondary" onClick={() => { setSaved(false); setWeek((w) => ({ ...w, [day]: [...w[day], { start: '09:00', end: '17:00' }] })); }}>Add hours<span className="visually-hidden"> on {label}</span></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label htmlFor="hours-holidays">Holidays (closed dates, one YYYY-MM-DD per line)</label>
        <textarea id="hours-holidays" rows={4} value={holidays} onChange={(e) => { setSaved(false); setHolidays(e.target.value); }} />
      </fieldset>
      {save.error ? <ErrorNotice error={save.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {editable ? (
        <div className="actions">
          <button type="submit" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Save business hours'}</button>
          {initial ? <ConfirmButton label="Remove business hours" question="Remove the business hours? Business-hour SLA targets stop being timed." confirmLabel="Remove them" onConfirm={() => remove.mutate()} /> : null}
          <span role="status">{saved ? 'Saved.' : ''}</span>
        </div>
      ) : <p className="muted">Only an admin can change them.</p>}
    </form>
  );
}
