// Live traffic per version (docs/registry-api.md "Traffic"): the last minutes from GET .../traffic, then one
// point per second from .../traffic/stream. Four uPlot charts share the time axis: traffic share, requests/s,
// error rate and p99, one line per version, plus a bar of each version's share over the last 10 s.
import uPlot from '../lib/uplot/uPlot.esm.js';
import {compareVersions, dot, h, num, pct, splitBar} from './dom.js';

const CHARTS = [
  {key: 'share', title: 'Traffic share', unit: '%', range: [0, 100]},
  {key: 'rps', title: 'Requests/s', unit: 'req/s'},
  {key: 'errorRate', title: 'Error rate (5xx)', unit: '%', range: [0, null]},
  {key: 'p99', title: 'p99 latency', unit: 'ms'},
];

const clock = (s) => new Date(s * 1000).toLocaleTimeString([], {hour12: false, hour: '2-digit', minute: '2-digit',
  second: '2-digit'});

/** Per-second points of every version, oldest first, at most {@code seconds} of them. */
export class TrafficModel {
  constructor(seconds) {
    this.seconds = seconds;
    this.t = [];
    this.v = new Map();
  }

  load(body) {
    this.t = [];
    this.v = new Map();
    const n = Math.max(0, ...body.versions.map((x) => x.series.length));
    const first = body.versions.find((x) => x.series.length === n);
    if (first) {
      this.t = first.series.map((p) => p.t);
      for (const x of body.versions) {
        this.v.set(x.version, {req: x.series.map((p) => p.requests), err: x.series.map((p) => p.errors),
          p99: x.series.map((p) => p.p99Ms)});
      }
    }
  }

  /** Adds one streamed second; seconds missed in between (a reconnect) count as zeros. */
  push(event) {
    const last = this.t.length ? this.t[this.t.length - 1] : event.t - 1000;
    if (event.t <= last) {
      return;
    }
    for (let t = last + 1000; t <= event.t; t += 1000) {
      this.t.push(t);
      for (const s of this.v.values()) {
        s.req.push(0);
        s.err.push(0);
        s.p99.push(0);
      }
    }
    for (const x of event.versions) {
      if (!this.v.has(x.version)) {
        const zeros = () => this.t.map(() => 0);
        this.v.set(x.version, {req: zeros(), err: zeros(), p99: zeros()});
      }
      const s = this.v.get(x.version);
      s.req[s.req.length - 1] = x.requests;
      s.err[s.err.length - 1] = x.errors;
      s.p99[s.p99.length - 1] = x.p99Ms;
    }
    const extra = this.t.length - this.seconds;
    if (extra > 0) {
      this.t.splice(0, extra);
      for (const s of this.v.values()) {
        s.req.splice(0, extra);
        s.err.splice(0, extra);
        s.p99.splice(0, extra);
      }
    }
  }

  versions() {
    return [...this.v.keys()].sort(compareVersions);
  }

  /** Per version over the last n seconds: requests/s, error rate (0-1), request-weighted p99, share (%). */
  last(n) {
    const out = new Map();
    let total = 0;
    for (const v of this.versions()) {
      const s = this.v.get(v);
      let req = 0;
      let err = 0;
      let weighted = 0;
      for (let i = Math.max(0, s.req.length - n); i < s.req.length; i++) {
        req += s.req[i];
        err += s.err[i];
        weighted += s.p99[i] * s.req[i];
      }
      total += req;
      out.set(v, {rps: req / Math.min(n, Math.max(1, s.req.length)), errorRate: req ? err / req : 0,
        p99: req ? weighted / req : 0, requests: req});
    }
    for (const x of out.values()) {
      x.share = total ? 100 * x.requests / total : 0;
    }
    return out;
  }

  /**
   * uPlot data for one chart: [times in s, one array per version]; null where a version had no request. Leading
   * seconds without any request are left out (down to the last minute), so a registry that just started, or an
   * app that just got traffic, does not draw minutes of nothing.
   */
  data(key) {
    const versions = this.versions();
    const totals = this.t.map((_, i) => versions.reduce((s, v) => s + this.v.get(v).req[i], 0));
    const firstTraffic = totals.findIndex((x) => x > 0);
    const from = Math.max(0, Math.min(firstTraffic < 0 ? this.t.length : firstTraffic, this.t.length - 60));
    const series = versions.map((v) => {
      const s = this.v.get(v);
      return this.t.slice(from).map((_, j) => {
        const i = from + j;
        const r = s.req[i];
        switch (key) {
          case 'share': return totals[i] ? 100 * r / totals[i] : null;
          case 'rps': return r;
          case 'errorRate': return r ? 100 * s.err[i] / r : null;
          default: return r ? s.p99[i] : null;
        }
      });
    });
    return [this.t.slice(from).map((t) => t / 1000), ...series];
  }
}

/** The traffic section of an app page; update() redraws it from the model. */
export class TrafficView {
  constructor(container, colours) {
    this.colours = colours;
    this.summary = h('div', {class: 'traffic-summary', id: 'traffic-summary'});
    this.share = h('div', {class: 'traffic-share', id: 'traffic-share'});
    this.grid = h('div', {class: 'charts'});
    this.plots = [];
    this.versionsKey = '';
    container.replaceChildren(h('h3', {}, 'Share of requests, last 10 s'), this.share, this.summary, this.grid);
    this.onResize = () => this.resize();
    window.addEventListener('resize', this.onResize);
  }

  update(model) {
    const last = model.last(10);
    const versions = model.versions();
    this.share.replaceChildren(splitBar(versions.map((v) => ({version: v, weight: last.get(v).share})), this.colours,
      'share of requests per version over the last 10 s'));
    this.summary.replaceChildren(h('table', {class: 'table compact'},
      h('thead', {}, h('tr', {}, h('th', {}, 'version'), h('th', {class: 'num'}, 'req/s'),
        h('th', {class: 'num'}, 'errors'), h('th', {class: 'num'}, 'p99'))),
      h('tbody', {}, versions.map((v) => {
        const x = last.get(v);
        return h('tr', {class: 'traffic-row', dataset: {version: v, rps: x.rps.toFixed(2), share: x.share.toFixed(1)}},
          h('td', {}, dot(this.colours.of(v)), ' ', v), h('td', {class: 'num'}, num(x.rps)),
          h('td', {class: 'num'}, pct(100 * x.errorRate)), h('td', {class: 'num'}, `${num(x.p99, 0)} ms`));
      })),
      versions.length ? '' : h('caption', {}, 'No gateway has reported this app in the last minutes.')));
    const key = versions.join(' ');
    if (key !== this.versionsKey) {
      this.build(versions, model);
      this.versionsKey = key;
    } else {
      this.plots.forEach((p, i) => p.setData(model.data(CHARTS[i].key)));
    }
  }

  build(versions, model) {
    this.plots.forEach((p) => p.destroy());
    this.grid.replaceChildren();
    this.plots = CHARTS.map((c) => {
      const box = h('div', {class: 'chart', dataset: {chart: c.key}}, h('h4', {}, c.title));
      this.grid.append(box);
      return new uPlot({
        width: this.width(box), height: 150,
        series: [{}, ...versions.map((v) => ({label: v, stroke: this.colours.of(v), width: 2,
          value: (u, x) => x === null || x === undefined ? '—' : `${x.toFixed(c.key === 'rps' || c.key === 'p99' ? 0 : 1)} ${c.unit}`}))],
        scales: {x: {time: true}, y: c.range ? {range: (u, min, max) => [c.range[0], c.range[1] ?? Math.max(1, max)]} : {}},
        axes: [{stroke: '#667', grid: {stroke: '#eef0f3'}, space: 90, values: (u, ticks) => ticks.map(clock)}, {stroke: '#667', size: 44, grid: {stroke: '#eef0f3'}}],
        legend: {live: false},
        cursor: {drag: {x: false, y: false}},
      }, model.data(c.key), box);
    });
  }

  width(box) {
    return Math.max(240, Math.floor((box.clientWidth || this.grid.clientWidth || 320) - 2));
  }

  resize() {
    for (const p of this.plots) {
      p.setSize({width: this.width(p.root.parentElement), height: 150});
    }
  }

  close() {
    window.removeEventListener('resize', this.onResize);
    this.plots.forEach((p) => p.destroy());
  }
}
