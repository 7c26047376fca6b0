import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricsReport, nearestRank, summarise, type ReportCycle } from './metrics-report.js';

const cycle = (closedDay: string, firstResponseMs: number | null, resolutionMs: number, botMs = 0): ReportCycle => ({ closedDay, firstResponseMs, firstResponseBusinessMs: null, resolutionMs, resolutionBusinessMs: null, botMs, botBusinessMs: null });

describe('the metrics report', () => {
  it('takes percentiles by nearest rank, so each is a value a cycle had', () => {
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    assert.equal(nearestRank(ten, 50), 50);
    assert.equal(nearestRank(ten, 90), 90);
    assert.equal(nearestRank([7], 90), 7);
    assert.equal(nearestRank([], 50), null);
    assert.deepEqual(summarise([30, null, 10, 20]), { count: 3, avgMs: 20, medianMs: 20, p90Ms: 30 });
  });

  it('groups cycles by the day they closed, leaves cycles without a first response out of its figure, and gives the people\'s share apart from the bot\'s', () => {
    const r = metricsReport([cycle('2026-01-16', 60, 600, 100), cycle('2026-01-15', null, 300, 300), cycle('2026-01-16', 120, 1200)]);
    assert.deepEqual(r.days.map((d) => [d.day, d.cycles]), [['2026-01-15', 1], ['2026-01-16', 2]]);
    const jan16 = r.days[1]!;
    assert.deepEqual(jan16.firstResponse.wall, { count: 2, avgMs: 90, medianMs: 60, p90Ms: 120 });
    assert.deepEqual(jan16.resolutionWithoutBot.wall, { count: 2, avgMs: 850, medianMs: 500, p90Ms: 1200 });
    assert.equal(r.days[0]!.firstResponse.wall.count, 0);
    assert.equal(r.days[0]!.resolutionWithoutBot.wall.avgMs, 0, 'a cycle the bot resolved alone took people no time');
    assert.equal(r.total.cycles, 3);
    assert.equal(jan16.firstResponse.business.count, 0, 'no business hours, no business figures');
  });
});
