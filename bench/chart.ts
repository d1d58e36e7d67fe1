/**
 * The server benchmark as an SVG chart, written by code: one panel for throughput and one for
 * CPU time per request, a bar per case and era. The plain node:http floor is ~20x any MCP
 * server, so the throughput axis is scaled to the MCP servers and the floor's bar is cut, its
 * value printed.
 */
import type { Era, ServerBenchResult } from './server.js';

interface Bar {
  series: Era;
  value: number | undefined;
  failed: boolean;
}

interface Group {
  label: string;
  bars: Bar[];
}

const COLORS: Record<Era, string> = { legacy: '#4e79a7', modern: '#f28e2b' };
const WIDTH = 900;
const LABEL_WIDTH = 300;
const BAR_HEIGHT = 14;
const GROUP_GAP = 10;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 90;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** One panel at vertical offset `top`; returns its SVG and height. */
function panel(title: string, unit: string, groups: Group[], top: number, axisMax: number): { svg: string; height: number } {
  const parts: string[] = [];
  parts.push(`<text x="10" y="${top + 18}" font-size="15" font-weight="bold">${escape(title)}</text>`);
  let y = top + 34;
  const plotTop = y;
  for (const group of groups) {
    const groupHeight = group.bars.length * BAR_HEIGHT;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + groupHeight / 2 + 4}" font-size="12" text-anchor="end">${escape(group.label)}</text>`,
    );
    for (const bar of group.bars) {
      if (bar.value === undefined || !Number.isFinite(bar.value)) {
        parts.push(`<text x="${LABEL_WIDTH + 4}" y="${y + BAR_HEIGHT - 3}" font-size="10" fill="#777">${bar.failed ? 'failed' : 'n/a'} (${bar.series})</text>`);
      } else {
        const clipped = bar.value > axisMax;
        const width = Math.max(1, (Math.min(bar.value, axisMax) / axisMax) * PLOT_WIDTH);
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${y + 1}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${COLORS[bar.series]}"${bar.failed ? ' fill-opacity="0.35"' : ''}/>`,
        );
        if (clipped) {
          parts.push(`<path d="M${LABEL_WIDTH + width - 10} ${y} l6 ${BAR_HEIGHT} M${LABEL_WIDTH + width - 5} ${y} l6 ${BAR_HEIGHT}" stroke="#fff" stroke-width="2"/>`);
        }
        parts.push(
          `<text x="${LABEL_WIDTH + width + 4}" y="${y + BAR_HEIGHT - 3}" font-size="10">${format(bar.value)}${clipped ? ' (axis cut)' : ''}${bar.failed ? ' failed' : ''}</text>`,
        );
      }
      y += BAR_HEIGHT;
    }
    y += GROUP_GAP;
  }
  // Axis with five ticks.
  for (let i = 0; i <= 4; i++) {
    const x = LABEL_WIDTH + (PLOT_WIDTH * i) / 4;
    parts.push(`<line x1="${x}" y1="${plotTop - 4}" x2="${x}" y2="${y - GROUP_GAP}" stroke="#ddd"/>`);
    parts.push(`<text x="${x}" y="${y + 6}" font-size="10" text-anchor="middle" fill="#555">${format((axisMax * i) / 4)}</text>`);
  }
  parts.push(`<text x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${y + 22}" font-size="11" text-anchor="middle" fill="#555">${escape(unit)}</text>`);
  return { svg: parts.join('\n'), height: y + 30 - top };
}

export function resultsChart(bench: ServerBenchResult): string {
  const floorId = '7';
  const groupsFor = (metric: 'requestsPerSecond' | 'cpuUsPerRequest'): Group[] =>
    bench.cases.map((serverCase) => ({
      label: `(${serverCase.id}) ${serverCase.label}`,
      bars: (['legacy', 'modern'] as const).map((era) => {
        const result = bench.results.find((r) => r.caseId === serverCase.id && r.era === era);
        return { series: era, value: result && result.samples.length > 0 ? result.median[metric] : undefined, failed: result?.failed ?? false };
      }),
    }));
  const throughput = groupsFor('requestsPerSecond');
  const cpu = groupsFor('cpuUsPerRequest');
  const mcpMax = Math.max(
    ...throughput
      .filter((_, i) => bench.cases[i]!.id !== floorId)
      .flatMap((group) => group.bars.map((bar) => bar.value ?? 0)),
  );
  const cpuMax = Math.max(...cpu.flatMap((group) => group.bars.map((bar) => bar.value ?? 0)));
  const first = panel('Throughput, tools/call per second (median of rounds; higher is better)', 'requests per second', throughput, 0, niceMax(mcpMax * 1.1));
  const second = panel('Server CPU time per request (lower is better)', 'microseconds of CPU (user + system) per request', cpu, first.height + 10, niceMax(cpuMax * 1.05));
  const legendY = first.height + second.height + 24;
  const height = legendY + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    first.svg,
    second.svg,
    `<rect x="${LABEL_WIDTH}" y="${legendY}" width="12" height="12" fill="${COLORS.legacy}"/>`,
    `<text x="${LABEL_WIDTH + 18}" y="${legendY + 10}" font-size="12">2025-11-25 (initialize era)</text>`,
    `<rect x="${LABEL_WIDTH + 220}" y="${legendY}" width="12" height="12" fill="${COLORS.modern}"/>`,
    `<text x="${LABEL_WIDTH + 238}" y="${legendY + 10}" font-size="12">2026-07-28 (stateless era)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
