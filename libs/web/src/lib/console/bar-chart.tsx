/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { ConsoleTable } from './console-table';

/** How a series is drawn: a fill and a pattern, so the series differ without colour too. */
const SERIES_STYLES = [
  { id: 'solid', color: '#005ea2' },
  { id: 'hatch', color: '#c05600' },
  { id: 'dots', color: '#00a398' },
] as const;

export interface BarChartProps {
  /** Unique on the page: ids of the title, description and patterns derive from it. */
  id: string;
  title: string;
  /** What the chart shows in a sentence or two, read by screen readers (`<desc>`). */
  description: string;
  categories: readonly string[];
  series: readonly { name: string; values: readonly number[] }[];
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 16, bottom: 48, left: 56 };

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

/**
 * A grouped bar chart as server-rendered SVG: `role="img"` named by its `<title>` and
 * described by its `<desc>`; each series has its own pattern as well as its colour, and a
 * legend. It scales with the page (viewBox) and needs no JavaScript. The data table that goes
 * with it (`DataTable`) is the text alternative with every figure.
 */
export function BarChart({ id, title, description, categories, series }: BarChartProps) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(2, (band * 0.8) / Math.max(1, series.length));
  const y = (value: number) => MARGIN.top + plotHeight - (value / max) * plotHeight;
  const ticks = [0, max / 2, max];
  // Label every category when they fit, otherwise every few.
  const labelEvery = Math.max(1, Math.ceil(categories.length / 12));
  return (
    <figure class="console-chart margin-x-0" data-chart={id}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 24 * Math.ceil(series.length / 3)}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} class="width-full" preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          {series.map((_, i) => {
            const style = SERIES_STYLES[i % SERIES_STYLES.length];
            const pid = `${id}-pattern-${i}`;
            if (style.id === 'solid') {
              return (
                <pattern id={pid} key={pid} width="8" height="8" patternUnits="userSpaceOnUse">
                  <rect width="8" height="8" fill={style.color} />
                </pattern>
              );
            }
            if (style.id === 'hatch') {
              return (
                <pattern id={pid} key={pid} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="8" height="8" fill="#fff" />
                  <rect width="4" height="8" fill={style.color} />
                </pattern>
              );
            }
            return (
              <pattern id={pid} key={pid} width="8" height="8" patternUnits="userSpaceOnUse">
                <rect width="8" height="8" fill="#fff" />
                <circle cx="4" cy="4" r="2.5" fill={style.color} />
              </pattern>
            );
          })}
        </defs>
        <g aria-hidden="true" font-size="12" fill="#1b1b1b">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#dfe1e2" />
              <text x={MARGIN.left - 6} y={y(tick) + 4} text-anchor="end">
                {tick.toLocaleString('en-US')}
              </text>
            </g>
          ))}
          {categories.map((category, c) =>
            series.map((s, i) => {
              const value = s.values[c] ?? 0;
              const x = MARGIN.left + c * band + band * 0.1 + i * barWidth;
              const color = SERIES_STYLES[i % SERIES_STYLES.length].color;
              return <rect key={`${c}-${i}`} x={x} y={y(value)} width={barWidth - 1} height={Math.max(0, MARGIN.top + plotHeight - y(value))} fill={`url(#${id}-pattern-${i})`} stroke={color} />;
            }),
          )}
          {categories.map((category, c) =>
            c % labelEvery === 0 ? (
              <text key={category} x={MARGIN.left + c * band + band / 2} y={HEIGHT - MARGIN.bottom + 16} text-anchor="middle">
                {category}
              </text>
            ) : null,
          )}
          {series.map((s, i) => {
            const x = MARGIN.left + (i % 3) * 220;
            const legendY = HEIGHT - 8 + Math.floor(i / 3) * 24;
            return (
              <g key={s.name}>
                <rect x={x} y={legendY - 12} width="16" height="16" fill={`url(#${id}-pattern-${i})`} stroke={SERIES_STYLES[i % SERIES_STYLES.length].color} />
                <text x={x + 22} y={legendY}>
                  {s.name}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </figure>
  );
}

/** A console table on the page (USWDS, stacked on phones), with a link to the same data as CSV. */
export function DataTable({ table, csvHref, id, cell }: { table: ConsoleTable; csvHref: string; id: string; cell?: (value: string | number, column: number, row: number) => ComponentChildren }) {
  return (
    <div class="margin-top-2" data-table={id}>
      <div class="usa-table-container--scrollable" tabIndex={0}>
        <table class="usa-table usa-table--striped usa-table--stacked usa-table--compact">
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) =>
                  c === 0 ? (
                    <th scope="row" data-label={table.columns[c]} key={c}>
                      {cell ? cell(value, c, r) : value}
                    </th>
                  ) : (
                    <td data-label={table.columns[c]} key={c}>
                      {cell ? cell(value, c, r) : typeof value === 'number' ? value.toLocaleString('en-US') : value}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a class="usa-link" href={csvHref} download data-csv={id}>
          Download this table as CSV
        </a>
      </p>
    </div>
  );
}
