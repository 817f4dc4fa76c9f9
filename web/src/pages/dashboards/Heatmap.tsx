// People × weeks: each person's allocated hours against their capacity per ISO week, over 100 %
// marked "▲ over" and under 50 % "▽ under" in the cell and the table (not by colour alone).
// No route answers this for everyone at once: with a project filter, one request
// (GET /v1/resources/projects/{project}/people, its first 50 people); without one, the first
// PEOPLE_WITHOUT_PROJECT people of the directory, one GET /v1/resources/people/{person} each,
// the screen saying so. Capacity plans change rarely, so this reads every 30 s, not every 2.
import { api, unwrap } from '../../api-client/client.js';
import { useLive } from '../../app/live.js';
import { barHeight, PALETTE } from './chart-options.js';
import { ChartCard, type Figure } from './ChartCard.js';
import { asWeek, type DashFilter } from './filter.js';

const PEOPLE_WITHOUT_PROJECT = 20;
const PROJECT_PEOPLE = 50;

interface PersonWeeks {
  person: string;
  weeks: { week: string; capacity: number; allocated: number; utilisation: number }[];
}

export const flagOf = (utilisation: number, capacity: number): string =>
  capacity <= 0 ? 'no capacity' : utilisation > 100 ? '▲ over' : utilisation < 50 ? '▽ under' : '';

async function readPeople(filter: DashFilter): Promise<PersonWeeks[]> {
  const from = asWeek(filter.from);
  const to = asWeek(filter.to);
  const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  if (filter.project !== undefined) {
    const page = await unwrap(
      api.GET('/v1/resources/projects/{project}/people', {
        params: { path: { project: filter.project }, query: { ...range, limit: PROJECT_PEOPLE } },
      }),
    );
    return page.items;
  }
  const people = await unwrap(
    api.GET('/v1/directory/people', { params: { query: { limit: PEOPLE_WITHOUT_PROJECT } } }),
  );
  return Promise.all(
    people.items.map((p) =>
      unwrap(api.GET('/v1/resources/people/{person}', { params: { path: { person: p.id }, query: range } })),
    ),
  );
}

export function heatmapFigure(people: PersonWeeks[]): Figure {
  const weeks = [...new Set(people.flatMap((p) => p.weeks.map((w) => w.week)))].sort();
  const names = people.map((p) => p.person);
  const cells = people.flatMap((p, y) =>
    p.weeks.map((w) => ({ person: p.person, y, x: weeks.indexOf(w.week), ...w })),
  );
  // A week without capacity is left blank in the chart (the table says "no capacity"): 0 % of
  // nothing is not under-use.
  const drawn = cells.flatMap((c, i) => (c.capacity > 0 ? [i] : []));
  return {
    columns: ['Person', 'Week', 'Allocated (hours)', 'Capacity (hours)', 'Utilisation (%)', 'Flag'],
    rows: cells.map((c) => [
      c.person,
      c.week,
      c.allocated,
      c.capacity,
      c.utilisation,
      flagOf(c.utilisation, c.capacity),
    ]),
    links: cells.map((c) => `/people/${encodeURIComponent(c.person)}`),
    rowOfClick: ({ dataIndex }) => drawn[dataIndex] ?? null,
    option: {
      tooltip: { trigger: 'item' },
      grid: { left: 8, right: 8, top: 8, bottom: 64, containLabel: true },
      xAxis: { type: 'category', data: weeks, axisLabel: { rotate: 45, color: '#1f2933' } },
      yAxis: {
        type: 'category',
        data: names,
        inverse: true,
        axisLabel: { width: 140, overflow: 'truncate', color: '#1f2933' },
      },
      visualMap: {
        type: 'piecewise',
        dimension: 2,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        pieces: [
          { lt: 50, label: 'under 50 % ▽', color: '#dbeafe' },
          { gte: 50, lte: 100, label: '50–100 %', color: '#86efac' },
          { gt: 100, label: 'over 100 % ▲', color: '#fca5a5' },
        ],
        textStyle: { color: '#1f2933' },
      },
      series: [
        {
          type: 'heatmap',
          name: 'Utilisation (%)',
          data: drawn.map((i) => [cells[i]?.x, cells[i]?.y, cells[i]?.utilisation]),
          label: {
            show: true,
            color: '#111827',
            formatter: (p: { value: [number, number, number] }) => {
              const u = p.value[2];
              return `${u}${u > 100 ? '▲' : u < 50 ? '▽' : ''}`;
            },
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
          cursor: 'pointer',
        },
      ],
      color: PALETTE,
    },
    height: barHeight(names.length) + 60,
  };
}

export function HeatmapCard({ filter, queryKey }: { filter: DashFilter; queryKey: string }) {
  const read = useLive(`heatmap?${queryKey}`, () => readPeople(filter), { intervalMs: 30_000 });
  const note =
    filter.project === undefined
      ? `The first ${PEOPLE_WITHOUT_PROJECT} people of the directory; choose a project to see its people.`
      : `The people allocated to ${filter.project} (at most ${PROJECT_PEOPLE}), across all their projects.`;
  return (
    <ChartCard
      title="People × weeks: allocated against capacity"
      file="people-weeks"
      read={read}
      figure={read.data === null ? null : heatmapFigure(read.data)}
      empty="Nobody has capacity or allocations in these weeks."
      note={note}
    />
  );
}
