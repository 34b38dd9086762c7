// A release as the app page shows it: its steps with the current one marked, desired and actual canary weight,
// the analysis verdicts, the operations (each one says what it will do and asks before doing it; disabled when
// the registry would refuse it, docs/registry-api.md "Releases"), and the history of an app's releases.
import {badge, duration, h, pct, time, TERMINAL, when} from './dom.js';

/** What an operation would do to release r of app, or null when the registry would refuse it (409). */
export function operation(op, r) {
  const p = r.progress || {};
  const type = r.strategy?.type;
  if (TERMINAL.includes(r.phase) || p.abort !== undefined) {
    return null;
  }
  const steps = r.strategy?.steps || [];
  switch (op) {
    case 'promote':
      if (!r.fromVersion) {
        return null;
      }
      if (type === 'canary' && p.promote !== r.step) {
        const s = steps[r.step];
        return s ? `end the pause of step ${r.step + 1}/${steps.length} (${pct(s.weight)} to ${r.toVersion}): the `
          + `canary moves on to ${steps[r.step + 1] ? pct(steps[r.step + 1].weight) : 'take 100% of traffic'}.`
          : null;
      }
      if (type === 'blue-green' && r.step === 0 && p.promote !== true) {
        return `switch 100% of traffic from ${r.fromVersion} (blue) to ${r.toVersion} (green) now, in one route `
          + 'revision.';
      }
      return null;
    case 'pause':
      return p.paused ? null : 'hold the release where it is: nothing is applied (and a step\'s timer stops) until '
        + 'you resume it. Traffic stays as it is now.';
    case 'resume':
      return p.paused ? 'let the release go on from where it was paused, with the time its step had left.' : null;
    case 'abort':
      return `send all traffic back to ${r.fromVersion || 'the previous version'}, restore its instances, then stop `
        + `${r.toVersion}'s instances. The release ends ABORTED.`;
    default:
      return null;
  }
}

/** The steps of r as [{label, state: 'done' | 'current' | 'pending'}]. */
export function steps(r) {
  const type = r.strategy?.type;
  const done = r.phase === 'SUCCEEDED';
  const mark = (i, current) => done || i < current ? 'done' : i === current && !TERMINAL.includes(r.phase) ? 'current' : 'pending';
  if (!r.fromVersion) {
    return [{label: `start ${r.toVersion} and route 100% to it (first release)`, state: mark(0, 0)}];
  }
  if (type === 'canary') {
    const list = (r.strategy.steps || []).map((s, i) => ({
      label: `${pct(s.weight)} to ${r.toVersion}, then ${s.pause === 'manual' ? 'wait for promote'
        : s.pauseSeconds ? `pause ${s.pauseSeconds}s` : 'go on'}`,
      state: mark(i, r.step), weight: s.weight}));
    list.push({label: `${r.toVersion} scaled to every instance with 100%, ${r.fromVersion} stops`, state: mark(list.length, r.step)});
    return list;
  }
  if (type === 'blue-green') {
    const p = r.progress || {};
    const current = r.step > 0 || p.promotedAt ? 2 : p.greenReadyAt ? 1 : 0;
    return [
      {label: `start ${r.toVersion} (green) beside ${r.fromVersion}, reachable by preview only${preview(r.strategy.preview)}`,
        state: mark(0, current)},
      {label: r.strategy.autoPromoteSeconds ? `promote (automatic after ${r.strategy.autoPromoteSeconds}s)`
        : 'wait for promote', state: mark(1, current)},
      {label: `100% to ${r.toVersion}; ${r.fromVersion} stays warm ${r.strategy.scaleDownDelaySeconds || 0}s, then stops`,
        state: mark(2, current)}];
  }
  return [{label: `${r.strategy?.mode || 'rolling'}: replace ${r.fromVersion} with ${r.toVersion}, `
    + `max surge ${r.strategy?.maxSurge ?? '-'}, max unavailable ${r.strategy?.maxUnavailable ?? '-'}`, state: mark(0, 0)}];
}

/** How a request reaches green before promotion: ' (header X-Baton-Preview: green)'. */
function preview(match) {
  const source = ['header', 'cookie', 'query'].find((k) => match && match[k]);
  return source ? ` (${source} ${match[source]}: ${match.equals})` : '';
}

export function stepList(r) {
  return h('ol', {class: 'steps', id: 'release-steps'}, steps(r).map((s) =>
    h('li', {class: `step step-${s.state}`, 'aria-current': s.state === 'current' ? 'step' : null}, s.label)));
}

/**
 * The analysis block of a canary: the last window's verdict (progress.analysisHistory, docs/registry-api.md
 * "Canary analysis"; a release stored before it has only progress.analysis.last) and the counts.
 */
export function analysis(r) {
  const a = r.progress?.analysis;
  const spec = r.strategy?.analysis;
  if (!spec) {
    return '';
  }
  const windows = r.progress?.analysisHistory || [];
  const last = windows.length ? windows[windows.length - 1].reason : a?.last;
  return h('div', {class: 'analysis'},
    h('strong', {}, 'Analysis '),
    `every ${spec.intervalSeconds}s, canary vs stable: `,
    last ? h('span', {class: 'verdict'}, last) : h('span', {class: 'muted'}, 'no interval judged yet'),
    ` · ${a?.passes || 0} passed · ${a?.failures || 0}/${spec.failureLimit} failed · ${a?.inconclusive || 0} inconclusive`);
}

export function history(releases, onOpen) {
  if (releases.length === 0) {
    return h('p', {class: 'muted'}, 'No release yet.');
  }
  return h('div', {class: 'history', id: 'release-history'}, [...releases].reverse().map((r) => {
    const first = r.history?.[0]?.at;
    const last = r.history?.[r.history.length - 1]?.at;
    return h('details', {class: 'history-item', dataset: {release: r.id}, ontoggle: onOpen},
      h('summary', {},
        badge(r.phase), ' ',
        h('span', {class: 'mono'}, `${r.fromVersion || '∅'} → ${r.toVersion}`), ' ',
        h('span', {class: 'muted'}, `${r.strategy?.type || ''} · ${when(first)}${TERMINAL.includes(r.phase) && first
          ? ' · took ' + duration(first, last) : ''}`)),
      h('div', {class: 'mono small muted'}, r.id),
      h('ol', {class: 'timeline'}, (r.history || []).map((e) => h('li', {},
        h('time', {datetime: e.at, title: e.at}, time(e.at)), ' ', badge(e.phase), ' ', e.message))));
  }));
}
