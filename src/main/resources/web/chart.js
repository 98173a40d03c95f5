// The instance view's 24-hour chart, drawn by the page as inline SVG (no chart library): delivered and failed
// deliveries per hour, told apart by pattern and place as well as colour, and below them how late the polls started
// (a dashed line with a dot per hour that had a poll), with a summary line, a legend and the same numbers as a table.

import {h, append, clear, plural} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
  for (let i = 2; i < arguments.length; i++) {
    const child = arguments[i];
    if (child === null || child === undefined) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function hourLabel(iso) {
  return new Date(iso).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
}

/**
 * The hours as bars, delivered solid and failed hatched side by side (told apart by pattern and place, not only by
 * colour), with a legend, a one-line summary and the numbers as a table for screen readers and for the curious.
 */
export function renderActivity(box, hours) {
  const shown = JSON.stringify(hours);
  if (box.dataset.shown === shown) return;
  box.dataset.shown = shown;
  clear(box);
  const delivered = hours.reduce((n, x) => n + x.delivered, 0);
  const failed = hours.reduce((n, x) => n + x.failed, 0);
  const busiest = hours.reduce((best, x) => (x.delivered + x.failed > best.delivered + best.failed ? x : best), hours[0]);
  const failedHours = hours.filter(x => x.failed > 0).length;
  const summaryText = 'In the last ' + hours.length + ' hours: ' + plural(delivered, 'delivery', 'deliveries') +
    ' delivered, ' + failed + ' failed' + (failed ? ' (in ' + plural(failedHours, 'hour') + ')' : '') +
    (busiest && busiest.delivered + busiest.failed > 0 ? '; busiest hour ' + hourLabel(busiest.hour) + ' with ' +
      (busiest.delivered + busiest.failed) : '') + '.';

  const width = 720, height = 200, left = 36, right = 8, top = 12, bottom = 28;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = Math.max(1, ...hours.map(x => Math.max(x.delivered, x.failed)));
  const slot = plotWidth / hours.length;
  const bar = Math.max(2, (slot - 4) / 2);
  const y = n => top + plotHeight - (n / max) * plotHeight;
  const chart = svgEl('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': 'activity-svg-title activity-svg-desc',
    id: 'activity-svg', class: 'chart', preserveAspectRatio: 'xMidYMid meet'},
    svgEl('title', {id: 'activity-svg-title'}, 'Deliveries per hour over the last ' + hours.length + ' hours'),
    svgEl('desc', {id: 'activity-svg-desc'}, summaryText + ' Solid bars: delivered; hatched bars: failed.'),
    svgEl('defs', null, svgEl('pattern', {id: 'hatch-failed', patternUnits: 'userSpaceOnUse', width: 6, height: 6,
      patternTransform: 'rotate(45)'},
    svgEl('rect', {width: 6, height: 6, class: 'hatch-ground'}),
    svgEl('line', {x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line'}))),
    svgEl('line', {x1: left, y1: top + plotHeight, x2: width - right, y2: top + plotHeight, class: 'axis'}),
    svgEl('line', {x1: left, y1: top, x2: width - right, y2: top, class: 'grid'}),
    svgEl('text', {x: left - 6, y: top + 4, class: 'tick', 'text-anchor': 'end'}, String(max)),
    svgEl('text', {x: left - 6, y: top + plotHeight + 4, class: 'tick', 'text-anchor': 'end'}, '0'));
  hours.forEach((x, i) => {
    const x0 = left + i * slot + 2;
    const label = hourLabel(x.hour) + ': ' + x.delivered + ' delivered, ' + x.failed + ' failed';
    const group = svgEl('g', {class: 'hour', 'data-hour': x.hour}, svgEl('title', null, label));
    if (x.delivered > 0) {
      group.appendChild(svgEl('rect', {x: x0, y: y(x.delivered), width: bar, height: top + plotHeight - y(x.delivered),
        class: 'bar-delivered'}));
    }
    if (x.failed > 0) {
      group.appendChild(svgEl('rect', {x: x0 + bar, y: y(x.failed), width: bar, height: top + plotHeight - y(x.failed),
        class: 'bar-failed', fill: 'url(#hatch-failed)'}));
    }
    chart.appendChild(group);
    if (i % 6 === 0 || i === hours.length - 1) {
      // the first and last labels keep inside the picture
      const first = i === 0, last = i === hours.length - 1;
      chart.appendChild(svgEl('text', {x: first ? left : last ? width - right : left + i * slot + slot / 2, y: height - 8,
        class: 'tick', 'text-anchor': first ? 'start' : last ? 'end' : 'middle'}, hourLabel(x.hour)));
    }
  });
  append(box, [
    h('p', {class: 'summary', id: 'activity-summary'}, summaryText),
    h('div', {class: 'chart-box'}, chart),
    lagChart(hours),
    h('ul', {class: 'legend', 'aria-hidden': 'true'},
      h('li', null, legendSwatch('bar-delivered', null), 'Delivered (solid)'),
      h('li', null, legendSwatch('bar-failed', 'url(#hatch-failed)'), 'Failed: dead letter or 410 Gone (hatched)')),
    h('details', {class: 'advanced', id: 'activity-table'},
      h('summary', null, 'Show as a table'),
      h('table', {class: 'attempts'},
        h('caption', {class: 'visually-hidden'}, 'Deliveries per hour'),
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Hour'), h('th', {scope: 'col'}, 'Delivered'),
          h('th', {scope: 'col'}, 'Failed'), h('th', {scope: 'col'}, 'Poll lag (most)'))),
        h('tbody', null, hours.map(x => h('tr', null, h('th', {scope: 'row'}, hourLabel(x.hour)),
          h('td', null, String(x.delivered)), h('td', null, String(x.failed)), h('td', null, lagText(x.pollLagMsMax))))))),
    h('p', {class: 'hint'}, 'Per callback URL: an attempt answered 2xx counts as delivered; a delivery that used up ' +
      'its retries or was answered 410 Gone counts as failed. Poll lag: how late after its planned time the ' +
      'latest-starting poll of the hour began.')]);
}

function lagText(ms) {
  if (ms === null || ms === undefined) return 'no poll';
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

/** How late the polls started, hour by hour: a dashed line through a dot for each hour that had a poll. */
function lagChart(hours) {
  const polled = hours.filter(x => x.pollLagMsMax !== null && x.pollLagMsMax !== undefined);
  const worst = polled.reduce((best, x) => (!best || x.pollLagMsMax > best.pollLagMsMax ? x : best), null);
  const summaryText = polled.length === 0 ? 'No poll started in these hours.'
    : 'Polls started at most ' + lagText(worst.pollLagMsMax) + ' late (' + hourLabel(worst.hour) + '), in '
      + plural(polled.length, 'hour') + ' with polls.';
  const width = 720, height = 90, left = 36, right = 8, top = 10, bottom = 12;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const max = Math.max(1, ...polled.map(x => x.pollLagMsMax));
  const slot = plotWidth / hours.length;
  const px = i => left + i * slot + slot / 2;
  const py = ms => top + plotHeight - (ms / max) * plotHeight;
  const chart = svgEl('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img', id: 'lag-svg', class: 'chart',
    'aria-labelledby': 'lag-svg-title lag-svg-desc', preserveAspectRatio: 'xMidYMid meet'},
    svgEl('title', {id: 'lag-svg-title'}, 'Poll lag per hour over the last ' + hours.length + ' hours'),
    svgEl('desc', {id: 'lag-svg-desc'}, summaryText),
    svgEl('line', {x1: left, y1: top + plotHeight, x2: width - right, y2: top + plotHeight, class: 'axis'}),
    svgEl('text', {x: left - 6, y: top + 4, class: 'tick', 'text-anchor': 'end'}, lagText(max)),
    svgEl('text', {x: left - 6, y: top + plotHeight + 4, class: 'tick', 'text-anchor': 'end'}, '0'));
  if (polled.length > 1) {
    chart.appendChild(svgEl('polyline', {class: 'lag-line', fill: 'none', 'stroke-dasharray': '4 3',
      points: hours.map((x, i) => (x.pollLagMsMax === null || x.pollLagMsMax === undefined) ? null
        : px(i) + ',' + py(x.pollLagMsMax)).filter(Boolean).join(' ')}));
  }
  hours.forEach((x, i) => {
    if (x.pollLagMsMax === null || x.pollLagMsMax === undefined) return;
    chart.appendChild(svgEl('circle', {cx: px(i), cy: py(x.pollLagMsMax), r: 3, class: 'lag-dot', 'data-hour': x.hour},
      svgEl('title', null, hourLabel(x.hour) + ': polls started at most ' + lagText(x.pollLagMsMax) + ' late')));
  });
  return h('div', {class: 'chart-box lag', id: 'lag-chart'},
    h('p', {class: 'summary', id: 'lag-summary'}, 'Poll lag. ' + summaryText), chart);
}

function legendSwatch(cls, fill) {
  return svgEl('svg', {viewBox: '0 0 14 14', width: 14, height: 14, class: 'swatch', 'aria-hidden': 'true'},
    svgEl('rect', fill ? {x: 0, y: 0, width: 14, height: 14, class: cls, fill} : {x: 0, y: 0, width: 14, height: 14, class: cls}));
}
