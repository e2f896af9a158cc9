import { budgetTone, HEALTH_LABEL } from '@/lib/format/labels';
import { formatBudget, formatObjective, formatSli } from '@/lib/slo/format';
import type { ServicePanelData } from '../panel-data';
import { fitText, textWidth } from '../render-text';
import type { Painter, PaletteKey } from '../render-theme';
import { type Health, HEALTH_COLOUR, sloHealth } from './alert-state';
import type { Frame } from './frame';
import { drawSubtitle, type Subtitle, TONE_COLOUR } from './header';
import { linked, n, textEl } from './markup';
import { sliColour } from './slo-parts';
import { utcMinute, windowShort, windowWords } from './words';

/* The service panel: a compact table of its SLOs. */

export function servicePanel(data: ServicePanelData, f: Frame, p: Painter): { title: string; desc: string; markup: string } {
  const out: string[] = [];
  const innerWidth = f.width - 2 * f.pad;
  const statuses = data.slos.map((s) => s.status);
  const healths = statuses.map(sloHealth);
  const serviceHealth: Health = healths.includes('page')
    ? 'page'
    : healths.includes('ticket')
      ? 'ticket'
      : healths.length > 0 && healths.every((h) => h === 'no_data')
        ? 'no_data'
        : 'ok';
  const firingCount = statuses.reduce((sum, s) => sum + s.alerts.filter((a) => a.firing).length, 0);
  const windows = [...new Set(statuses.map((s) => windowWords(s.window)))];
  const sameWindow = windows.length === 1 ? windows[0]! : null;
  const asOf = `as of ${utcMinute(data.asOf)}`;
  const demo = statuses.some((s) => s.source === 'demo');

  // Header: service name (linked) and the overall state.
  const stateText = `${HEALTH_LABEL[serviceHealth]}${firingCount > 0 ? ` \u00b7 ${firingCount} firing` : ''}`;
  const stateWidth = textWidth(stateText, f.text, true) + 14;
  const titleBaseline = f.pad + f.title * 0.85;
  out.push(
    linked(
      data.link,
      textEl(p, f.pad, titleBaseline, fitText(data.serviceName, innerWidth - stateWidth - f.pad, f.title, true), { size: f.title, colour: 'text', bold: true }),
    ),
  );
  out.push(
    `<circle cx="${n(f.width - f.pad - stateWidth + 4)}" cy="${n(titleBaseline - f.text * 0.35)}" r="4" ${p.paint({ fill: HEALTH_COLOUR[serviceHealth] })}/>`,
  );
  out.push(textEl(p, f.width - f.pad, titleBaseline, stateText, { size: f.text, colour: HEALTH_COLOUR[serviceHealth], bold: true, anchor: 'end' }));
  const subtitleBaseline = titleBaseline + f.text * 1.5;
  const count = `${data.slos.length} SLO${data.slos.length === 1 ? '' : 's'}`;
  const fixed: Subtitle['fixed'] = [{ text: count, colour: 'text2' }];
  if (sameWindow) fixed.push({ text: sameWindow, colour: 'text2' });
  else if (data.slos.length > 0) fixed.push({ text: 'windows per SLO', colour: 'text2' });
  if (demo) fixed.push({ text: 'demo data', colour: 'demo' });
  out.push(drawSubtitle(p, f.pad, subtitleBaseline, innerWidth, f.text, { shrinkable: '', fixed }));

  const footerBaseline = f.height - f.pad;
  out.push(textEl(p, f.pad, footerBaseline, asOf, { size: f.small, colour: 'text2' }));

  // The table: SLO | SLI | objective | budget left | alert; a small panel drops the objective.
  const rowHeight = f.text * 1.9;
  const headerBaseline = subtitleBaseline + f.small * 2.2;
  const rows = data.slos.map((slo, i) => ({
    name: sameWindow || f.compact ? slo.name : `${slo.name} (${windowShort(slo.status.window)})`,
    link: slo.link,
    sli: { text: formatSli(slo.status.sli), colour: sliColour(slo.status.sli, slo.status.objective) },
    objective: { text: formatObjective(slo.status.objective), colour: 'text2' as PaletteKey },
    budget: { text: formatBudget(slo.status.errorBudget.remaining), colour: TONE_COLOUR[budgetTone(slo.status.errorBudget.remaining)] as PaletteKey },
    health: healths[i]!,
  }));
  if (rows.length === 0) {
    out.push(textEl(p, f.width / 2, (headerBaseline + footerBaseline) / 2, 'No SLOs defined yet', { size: f.text, colour: 'muted', anchor: 'middle' }));
  } else {
    const numeric: Array<{ head: string; cell: (r: (typeof rows)[number]) => { text: string; colour: PaletteKey } }> = [
      { head: 'SLI', cell: (r) => r.sli },
      ...(f.compact ? [] : [{ head: 'objective', cell: (r: (typeof rows)[number]) => r.objective }]),
      { head: f.compact ? 'budget' : 'budget left', cell: (r) => r.budget },
    ];
    const alertHead = 'alert';
    const alertWidth = Math.max(textWidth(alertHead, f.small), ...rows.map((r) => 12 + textWidth(HEALTH_LABEL[r.health], f.text, true)));
    const gap = f.compact ? 10 : 18;
    const colWidths = numeric.map((c) => Math.max(textWidth(c.head, f.small), ...rows.map((r) => textWidth(c.cell(r).text, f.text))));
    // Columns are laid out from the right edge: alert, then the numbers right-aligned, then the name fills the rest.
    const alertX = f.width - f.pad - alertWidth;
    const rights: number[] = [];
    let right = alertX - gap;
    for (let i = numeric.length - 1; i >= 0; i--) {
      rights[i] = right;
      right -= (colWidths[i] ?? 0) + gap;
    }
    const nameWidth = right + gap - f.pad - gap;

    out.push(textEl(p, f.pad, headerBaseline, 'SLO', { size: f.small, colour: 'muted' }));
    numeric.forEach((c, i) => out.push(textEl(p, rights[i]!, headerBaseline, c.head, { size: f.small, colour: 'muted', anchor: 'end' })));
    out.push(textEl(p, alertX, headerBaseline, alertHead, { size: f.small, colour: 'muted' }));

    const tableTop = headerBaseline + f.small * 0.6;
    const available = footerBaseline - f.small * 1.4 - tableTop;
    const fits = Math.max(1, Math.floor(available / rowHeight));
    const shown = rows.length > fits ? rows.slice(0, Math.max(0, fits - 1)) : rows;
    shown.forEach((row, i) => {
      const rowTop = tableTop + i * rowHeight;
      const baseline = rowTop + rowHeight * 0.5 + f.text * 0.35;
      out.push(`<line x1="${n(f.pad)}" y1="${n(rowTop)}" x2="${n(f.width - f.pad)}" y2="${n(rowTop)}" stroke-width="1" ${p.paint({ stroke: 'grid' })}/>`);
      out.push(linked(row.link, textEl(p, f.pad, baseline, fitText(row.name, nameWidth, f.text), { size: f.text, colour: 'text' })));
      numeric.forEach((c, j) => {
        const cell = c.cell(row);
        out.push(textEl(p, rights[j]!, baseline, cell.text, { size: f.text, colour: cell.colour, anchor: 'end' }));
      });
      out.push(`<circle cx="${n(alertX + 4)}" cy="${n(baseline - f.text * 0.35)}" r="3.5" ${p.paint({ fill: HEALTH_COLOUR[row.health] })}/>`);
      out.push(textEl(p, alertX + 12, baseline, HEALTH_LABEL[row.health], { size: f.text, colour: HEALTH_COLOUR[row.health], bold: true }));
    });
    if (shown.length < rows.length) {
      const rowTop = tableTop + shown.length * rowHeight;
      out.push(textEl(p, f.pad, rowTop + rowHeight * 0.5 + f.text * 0.35, `+${rows.length - shown.length} more SLOs`, { size: f.text, colour: 'muted' }));
    }
  }

  const desc = [
    `SLOs of the service ${data.serviceName}, ${asOf}: ${stateText}.`,
    ...(demo ? ['Some figures come from the synthetic demo source.'] : []),
    ...data.slos.map(
      (slo, i) =>
        `${slo.name} (${windowWords(slo.status.window)}): SLI ${formatSli(slo.status.sli)}, objective ${formatObjective(slo.status.objective)}, budget ${formatBudget(slo.status.errorBudget.remaining)} left, ${HEALTH_LABEL[healths[i]!]}.`,
    ),
  ].join(' ');
  return { title: `${data.serviceName}: SLOs`, desc, markup: out.join('') };
}
