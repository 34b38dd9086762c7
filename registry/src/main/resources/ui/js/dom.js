// Small DOM and formatting helpers. Elements are built with h(), never from HTML strings: every text the registry
// sends (messages, versions, ids) lands in text nodes.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c !== undefined && c !== null && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
  return el;
}

const PALETTE = ['#3b6fb6', '#e07b24', '#2f9e6b', '#8e5cc4', '#c9463d', '#2aa3b8', '#b58b1c', '#6b7280'];

/** Colours per version: the versions sorted, each its palette slot, so 1.0.0 and 2.0.0 keep theirs everywhere. */
export class Colours {
  constructor() {
    this.known = [];
  }

  learn(versions) {
    let changed = false;
    for (const v of versions) {
      if (v && !this.known.includes(v)) {
        this.known.push(v);
        changed = true;
      }
    }
    if (changed) {
      this.known.sort(compareVersions);
    }
    return this;
  }

  of(version) {
    this.learn([version]);
    return PALETTE[this.known.indexOf(version) % PALETTE.length];
  }
}

/** Numeric parts compared as numbers (1.10.0 after 1.9.0), the rest as text. */
export function compareVersions(a, b) {
  const pa = String(a).split(/[.-]/);
  const pb = String(b).split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const c = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) {
      return c;
    }
  }
  return 0;
}

/** A horizontal bar of shares: [{version, weight}] in percent; each segment labelled when wide enough. */
export function splitBar(shares, colours, label) {
  const bar = h('div', {class: 'split', role: 'img', 'aria-label': label || describe(shares)});
  const total = shares.reduce((s, x) => s + x.weight, 0);
  if (total <= 0) {
    bar.append(h('div', {class: 'split-empty'}, 'no traffic'));
    return bar;
  }
  for (const s of shares.filter((x) => x.weight > 0)) {
    const seg = h('div', {class: 'split-seg', title: `${s.version}: ${pct(s.weight)}`,
      dataset: {version: s.version, weight: String(s.weight)}}, s.weight >= 18 ? `${s.version} ${pct(s.weight)}` : '');
    seg.style.width = (100 * s.weight / total) + '%';
    seg.style.background = colours.of(s.version);
    bar.append(seg);
  }
  return bar;
}

export function describe(shares) {
  return shares.map((s) => `${s.version} ${pct(s.weight)}`).join(', ');
}

export function pct(x) {
  const r = Math.round(x * 10) / 10;
  return (Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)) + '%';
}

export function num(x, digits = 1) {
  return x === undefined || x === null ? '—' : Number(x).toFixed(digits);
}

/** The time of day for today, else the date and time: a label that stays true without redrawing. */
export function when(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? time(iso)
    : `${d.toLocaleDateString()} ${time(iso)}`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], {hour12: false}) : '';
}

export function duration(fromIso, toIso) {
  const s = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (!(s >= 0)) {
    return '';
  }
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor(s % 3600 / 60)}m`;
}

export function badge(text, kind) {
  return h('span', {class: `badge badge-${(kind || text || '').toLowerCase()}`}, text);
}

export const TERMINAL = ['SUCCEEDED', 'ABORTED', 'FAILED'];

/** A coloured dot (its colour set through CSSOM: the page's CSP forbids style attributes). */
export function dot(colour) {
  const d = h('span', {class: 'dot'});
  d.style.background = colour;
  return d;
}
