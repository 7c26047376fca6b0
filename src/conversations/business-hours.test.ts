import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE } from '../shared/time.js';
import { addBusinessMs, businessMsBetween, isOpenAt, localDate, localInstant, parseBusinessHours, zoneOffset, type BusinessCalendar, type BusinessHoursSetting } from './business-hours.js';

const calendar = (setting: Partial<BusinessHoursSetting> & Pick<BusinessHoursSetting, 'week'>): BusinessCalendar => {
  const parsed = parseBusinessHours({ timeZone: 'Europe/Berlin', holidays: [], ...setting });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.calendar;
};
const nineToFive = (extra: Partial<BusinessHoursSetting> = {}) => {
  const day: Array<{ start: string; end: string }> = [{ start: '09:00', end: '17:00' }];
  return calendar({ week: { mon: day, tue: day, wed: day, thu: day, fri: day }, ...extra });
};
const allDay = (timeZone: string) => {
  const day: Array<{ start: string; end: string }> = [{ start: '00:00', end: '24:00' }];
  return calendar({ timeZone, week: { sun: day, mon: day, tue: day, wed: day, thu: day, fri: day, sat: day } });
};
/** An instant given as Berlin wall time in winter (UTC+1) or summer (UTC+2). */
const berlin = (iso: string, offsetHours: number) => Date.parse(`${iso}Z`) - offsetHours * HOUR;

describe('business hours: time zones', () => {
  it('reads the zone offset in winter and in summer', () => {
    assert.equal(zoneOffset('Europe/Berlin', Date.UTC(2026, 0, 15, 12)), HOUR);
    assert.equal(zoneOffset('Europe/Berlin', Date.UTC(2026, 6, 15, 12)), 2 * HOUR);
    assert.equal(zoneOffset('America/Sao_Paulo', Date.UTC(2026, 6, 15, 12)), -3 * HOUR);
  });

  it('gives the local date of an instant, not the UTC one', () => {
    assert.equal(localDate('Europe/Berlin', Date.UTC(2026, 0, 15, 23, 30)), '2026-01-16');
    assert.equal(localDate('America/Sao_Paulo', Date.UTC(2026, 0, 16, 1, 0)), '2026-01-15');
  });

  it('moves a local time in the spring-forward gap forward by the gap, and takes the first of a repeated time', () => {
    const day = Date.UTC(2026, 2, 29) / (24 * HOUR);
    assert.equal(localInstant('Europe/Berlin', day, 2 * 60 + 30), Date.UTC(2026, 2, 29, 1, 30), '02:30 does not exist: 03:30 CEST');
    const back = Date.UTC(2026, 9, 25) / (24 * HOUR);
    assert.equal(localInstant('Europe/Berlin', back, 2 * 60 + 30), Date.UTC(2026, 9, 25, 0, 30), '02:30 happens twice: the first, CEST');
  });
});

describe('business hours: open time between two instants', () => {
  it('skips the weekend: Friday 16:00 to Monday 10:00 in a 9-to-5 week is two hours', () => {
    const cal = nineToFive();
    assert.equal(businessMsBetween(cal, berlin('2026-01-16T16:00:00', 1), berlin('2026-01-19T10:00:00', 1)), 2 * HOUR);
  });

  it('counts nothing before opening and after closing on the same day', () => {
    const cal = nineToFive();
    assert.equal(businessMsBetween(cal, berlin('2026-01-15T06:00:00', 1), berlin('2026-01-15T08:59:00', 1)), 0);
    assert.equal(businessMsBetween(cal, berlin('2026-01-15T06:00:00', 1), berlin('2026-01-15T20:00:00', 1)), 8 * HOUR);
    assert.equal(businessMsBetween(cal, berlin('2026-01-15T12:00:00', 1), berlin('2026-01-15T12:00:00', 1)), 0);
    assert.equal(businessMsBetween(cal, berlin('2026-01-15T13:00:00', 1), berlin('2026-01-15T12:00:00', 1)), 0, 'a reversed range is empty');
  });

  it('closes a holiday all day', () => {
    const cal = nineToFive({ holidays: ['2026-01-19'] });
    assert.equal(businessMsBetween(cal, berlin('2026-01-16T16:00:00', 1), berlin('2026-01-20T10:00:00', 1)), 2 * HOUR, 'Friday 16–17 and Tuesday 9–10; Monday is a holiday');
  });

  it('counts an overnight interval on both days, and a holiday closes its tail after midnight', () => {
    const cal = calendar({ week: { fri: [{ start: '22:00', end: '02:00' }] } });
    assert.equal(businessMsBetween(cal, berlin('2026-01-16T21:00:00', 1), berlin('2026-01-17T03:00:00', 1)), 4 * HOUR);
    assert.equal(isOpenAt(cal, berlin('2026-01-17T01:00:00', 1)), true);
    assert.equal(isOpenAt(cal, berlin('2026-01-17T02:00:00', 1)), false);
    const withHoliday = calendar({ week: { fri: [{ start: '22:00', end: '02:00' }] }, holidays: ['2026-01-17'] });
    assert.equal(businessMsBetween(withHoliday, berlin('2026-01-16T21:00:00', 1), berlin('2026-01-17T03:00:00', 1)), 2 * HOUR);
  });

  it('counts real time across the daylight-saving changes in Berlin: a 23-hour and a 25-hour day', () => {
    const cal = allDay('Europe/Berlin');
    assert.equal(businessMsBetween(cal, berlin('2026-03-29T00:00:00', 1), berlin('2026-03-30T00:00:00', 2)), 23 * HOUR);
    assert.equal(businessMsBetween(cal, berlin('2026-10-25T00:00:00', 2), berlin('2026-10-26T00:00:00', 1)), 25 * HOUR);
    const night = calendar({ week: { sun: [{ start: '01:00', end: '05:00' }] } });
    assert.equal(businessMsBetween(night, Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 30)), 3 * HOUR, '01:00–05:00 on the spring-forward night lasts three real hours');
    assert.equal(businessMsBetween(night, Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 26)), 5 * HOUR, 'and five on the fall-back night');
  });

  it('counts real time across the changes in São Paulo, where the clock jumped at midnight (2018) and fell back at midnight (2019)', () => {
    const cal = allDay('America/Sao_Paulo');
    // 2018-11-04: local 00:00 never happened (the day began at 01:00, UTC-2).
    const start = localInstant('America/Sao_Paulo', Date.UTC(2018, 10, 4) / (24 * HOUR), 0);
    assert.equal(start, Date.UTC(2018, 10, 4, 3), 'the day began at 01:00 local = 03:00 UTC');
    assert.equal(businessMsBetween(cal, Date.UTC(2018, 10, 4, 3), Date.UTC(2018, 10, 5, 2)), 23 * HOUR);
    // 2019-02-16 lasted 25 hours: 23:00–24:00 twice.
    assert.equal(businessMsBetween(cal, Date.UTC(2019, 1, 16, 2), Date.UTC(2019, 1, 17, 3)), 25 * HOUR);
    const evenings = calendar({ timeZone: 'America/Sao_Paulo', week: { sat: [{ start: '22:00', end: '24:00' }] } });
    assert.equal(businessMsBetween(evenings, Date.UTC(2019, 1, 16), Date.UTC(2019, 1, 18)), 3 * HOUR, '22:00–24:00 on the fall-back evening is three real hours');
    assert.equal(businessMsBetween(evenings, Date.UTC(2026, 1, 14), Date.UTC(2026, 1, 16)), 2 * HOUR, 'and two on an ordinary Saturday');
  });

  it('an empty calendar is never open', () => {
    const cal = calendar({ week: {} });
    assert.equal(businessMsBetween(cal, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)), 0);
    assert.equal(addBusinessMs(cal, Date.UTC(2026, 0, 1), MINUTE), null);
    assert.equal(isOpenAt(cal, Date.UTC(2026, 0, 1, 12)), false);
  });
});

describe('business hours: due times', () => {
  it('carries what is left over the weekend to Monday morning', () => {
    const cal = nineToFive();
    assert.equal(addBusinessMs(cal, berlin('2026-01-16T16:30:00', 1), HOUR), berlin('2026-01-19T09:30:00', 1));
  });

  it('starts counting at the opening when asked outside hours, and lands on the closing when the time fits exactly', () => {
    const cal = nineToFive();
    assert.equal(addBusinessMs(cal, berlin('2026-01-15T07:00:00', 1), 30 * MINUTE), berlin('2026-01-15T09:30:00', 1));
    assert.equal(addBusinessMs(cal, berlin('2026-01-15T09:00:00', 1), 8 * HOUR), berlin('2026-01-15T17:00:00', 1));
    assert.equal(addBusinessMs(cal, berlin('2026-01-15T12:00:00', 1), 0), berlin('2026-01-15T12:00:00', 1));
  });

  it('skips holidays and closed days until open time comes, weeks ahead if need be', () => {
    const cal = nineToFive({ holidays: ['2026-01-19'] });
    assert.equal(addBusinessMs(cal, berlin('2026-01-16T16:30:00', 1), HOUR), berlin('2026-01-20T09:30:00', 1));
    const sundays = calendar({ week: { sun: [{ start: '10:00', end: '11:00' }] }, holidays: [] });
    assert.equal(addBusinessMs(sundays, berlin('2026-01-15T00:00:00', 1), 90 * MINUTE), berlin('2026-01-25T10:30:00', 1));
  });

  it('is the inverse of the count across a daylight-saving change', () => {
    const cal = allDay('Europe/Berlin');
    const from = berlin('2026-03-29T00:00:00', 1);
    const due = addBusinessMs(cal, from, 24 * HOUR)!;
    assert.equal(due, berlin('2026-03-30T01:00:00', 2));
    assert.equal(businessMsBetween(cal, from, due), 24 * HOUR);
  });
});

describe('business hours: the setting', () => {
  it('refuses an unknown time zone, a bad time, an empty or overlapping interval and a bad date, naming the field', () => {
    const bad = (s: Partial<BusinessHoursSetting>) => {
      const r = parseBusinessHours({ timeZone: 'Europe/Berlin', week: {}, holidays: [], ...s });
      return r.ok ? null : r.field;
    };
    assert.equal(bad({ timeZone: 'Mars/Olympus' }), '/timeZone');
    assert.equal(bad({ week: { mon: [{ start: '9:00', end: '17:00' }] } }), '/week/mon/0');
    assert.equal(bad({ week: { mon: [{ start: '24:00', end: '17:00' }] } }), '/week/mon/0');
    assert.equal(bad({ week: { tue: [{ start: '09:00', end: '12:00' }, { start: '10:00', end: '13:00' }] } }), '/week/tue');
    assert.equal(bad({ week: { mon: [{ start: '22:00', end: '02:00' }], tue: [{ start: '01:00', end: '05:00' }] } }), '/week/tue', 'the overnight tail overlaps Tuesday');
    assert.equal(bad({ week: { mon: [{ start: '09:00', end: '09:00' }] } }), '/week/mon/0');
    assert.equal(bad({ holidays: ['2026-02-30'] }), '/holidays/0');
    assert.equal(bad({ week: { sat: [{ start: '22:00', end: '00:00' }] } }), null, 'an end at midnight is the end of the day');
  });
});
