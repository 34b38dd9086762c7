// One app (#/apps/<name>): its release with steps and operations, the route and live traffic per version, the
// instances, the event feed and the release history. Live: the app's event stream triggers a refresh of the
// app and its releases, the traffic stream adds a point per second, and the app view is read again every 5 s
// (instance health changes in Consul have no event).
import * as api from './api.js';
import {badge, Colours, describe, dot, h, splitBar, time, TERMINAL} from './dom.js';
import {clearNotice, setCrumbs, setLive, tell} from './main.js';
import {analysis, history, operation, stepList} from './release.js';
import {TrafficModel, TrafficView} from './traffic.js';

const SECONDS = 300;
const OPS = ['promote', 'pause', 'resume', 'abort'];

export function appPage(main, app) {
  const abort = new AbortController();
  const colours = new Colours();
  const path = `/v1/apps/${encodeURIComponent(app)}`;
  const el = {
    head: h('div', {class: 'page-head'}),
    release: h('section', {class: 'card', id: 'release'}),
    route: h('div', {id: 'route'}),
    traffic: h('div', {id: 'traffic'}),
    instances: h('section', {class: 'card', id: 'instances'}),
    events: h('ol', {class: 'events', id: 'events'}),
    history: h('div', {id: 'history'}),
  };
  main.replaceChildren(el.head,
    h('div', {class: 'grid'}, el.release,
      h('section', {class: 'card', id: 'traffic-card'}, h('h2', {}, 'Traffic'), el.route, el.traffic)),
    el.instances,
    h('div', {class: 'grid'},
      h('section', {class: 'card'}, h('h2', {}, 'Events'), el.events),
      h('section', {class: 'card'}, h('h2', {}, 'Release history'), el.history)));
  setCrumbs(h('a', {href: '#/'}, 'apps'), h('span', {}, app));
  document.title = `${app} · baton`;

  const model = new TrafficModel(SECONDS);
  const trafficView = new TrafficView(el.traffic, colours);
  const state = {view: null, releases: [], key: null};
  const streams = {events: 'connecting…', traffic: 'connecting…'};
  const stream = (name) => (s) => {
    streams[name] = s;
    setLive(Object.values(streams).every((x) => x === 'live') ? 'live'
      : Object.values(streams).includes('reconnecting') ? 'reconnecting' : 'connecting…');
  };

  const refresh = async () => {
    try {
      const [view, releases] = await Promise.all([api.get(path), api.get(`${path}/releases`)]);
      const key = JSON.stringify([view, releases]);
      if (key !== state.key) {
        // Only what changed is drawn again: buttons keep their focus, the history its open entries.
        Object.assign(state, {view, releases, key});
        render();
      }
    } catch (e) {
      if (e.status === 404) {
        main.replaceChildren(h('h1', {}, app), h('p', {class: 'error'}, `No app ${app} on this registry. `,
          h('a', {href: '#/'}, 'See every app')));
        close();
      } else if (e.status !== 401) {
        tell(`Cannot load ${app}: ${e.message}`);
      }
    }
  };
  let pending = null;
  const soon = () => {
    if (!pending) {
      pending = setTimeout(() => { pending = null; refresh(); }, 250);
    }
  };

  function render() {
    const v = state.view;
    const r = v.activeRelease;
    const split = (v.route?.split || []).map((w) => ({version: w.version, weight: w.weight}));
    colours.learn([...split.map((s) => s.version), ...(v.instances || []).map((i) => i.version),
      r?.fromVersion, r?.toVersion]);
    el.head.replaceChildren(h('h1', {}, v.app, ' ', badge(v.status)),
      h('p', {class: 'muted'}, v.version ? `current ${v.version} · ` : '', `${v.passing}/${v.desired} passing`,
        v.status !== 'OK' && v.reason ? ` · ${v.reason}` : ''));
    renderRelease(r);
    const want = r && r.strategy?.type === 'canary' && !TERMINAL.includes(r.phase) ? r.strategy.steps?.[r.step]?.weight : null;
    el.route.replaceChildren(h('h3', {}, 'Route (what the gateways apply)'),
      splitBar(split, colours, `route of ${v.app}: ${describe(split)}`),
      want !== undefined && want !== null ? h('p', {class: 'small', id: 'desired-weight'},
        `step ${r.step + 1} wants ${want}% to ${r.toVersion}; the route gives it `,
        h('strong', {}, `${split.find((s) => s.version === r.toVersion)?.weight ?? 0}%`)) : '');
    renderInstances(v);
    const open = new Set([...el.history.querySelectorAll('details[open]')].map((d) => d.dataset.release));
    el.history.replaceChildren(history(state.releases));
    el.history.querySelectorAll('details').forEach((d) => { d.open = open.has(d.dataset.release); });
  }

  function renderRelease(r) {
    const previous = [...state.releases].reverse().find((x) => x.phase === 'SUCCEEDED' && x.fromVersion);
    const buttons = h('div', {class: 'actions', id: 'actions'});
    for (const op of OPS) {
      const what = r ? operation(op, r) : null;
      buttons.append(h('button', {type: 'button', id: `op-${op}`, disabled: !what, title: what || `nothing to ${op}`,
        onclick: () => act(op, `${op[0].toUpperCase()}${op.slice(1)} release ${r.id}?`,
          `App ${app}, release ${r.id} (${r.fromVersion || '∅'} → ${r.toVersion}): this will ${what}`,
          `/v1/releases/${encodeURIComponent(r.id)}/${op}`)}, op));
    }
    const rollback = !r && previous ? `start a release of ${app} back to ${previous.fromVersion} (blue-green, `
      + `immediate switch) in place of ${state.view.version || previous.toVersion}.` : null;
    buttons.append(h('button', {type: 'button', id: 'op-rollback', disabled: !rollback,
      title: rollback || (r ? 'a release is in progress: abort it instead' : 'no previous good version to go back to'),
      onclick: () => act('rollback', `Roll ${app} back to ${previous.fromVersion}?`, `This will ${rollback}`,
        `${path}/rollback`)}, 'rollback'));
    if (!r) {
      const last = state.releases[state.releases.length - 1];
      el.release.replaceChildren(h('h2', {}, 'Release'), h('p', {class: 'muted', id: 'release-none'},
        'No release in progress.', last ? ` The last one, ${last.fromVersion || '∅'} → ${last.toVersion}, ended `
          + `${last.phase}.` : ''), buttons);
      return;
    }
    el.release.replaceChildren(
      h('h2', {}, 'Release ', badge(r.phase), r.progress?.paused ? badge('paused by operator', 'operator') : ''),
      h('p', {class: 'mono small', id: 'release-id', dataset: {release: r.id, step: String(r.step)}},
        r.id, ' · ', r.strategy?.type || '', ' ', dot(colours.of(r.fromVersion)), ` ${r.fromVersion || '∅'} → `,
        dot(colours.of(r.toVersion)), ` ${r.toVersion}`),
      h('p', {class: 'message', id: 'release-message'}, r.message || ''),
      stepList(r), analysis(r), buttons);
  }

  function renderInstances(v) {
    const hosts = new Map((v.placement || []).map((p) => [p.agent, p.host]));
    const rows = [...(v.instances || [])].sort((a, b) => (a.version + a.id).localeCompare(b.version + b.id));
    el.instances.replaceChildren(h('h2', {}, 'Instances'), h('div', {class: 'scroll'}, h('table', {class: 'table'},
      h('thead', {}, h('tr', {}, ['instance', 'host', 'port', 'version', 'state', 'in flight']
        .map((c) => h('th', {}, c)))),
      h('tbody', {}, rows.map((i) => h('tr', {dataset: {instance: i.id, version: i.version}},
        h('td', {class: 'mono small'}, i.id),
        h('td', {}, i.agent || '', h('span', {class: 'muted'}, ` ${i.address || ''}`),
          hosts.get(i.agent) && hosts.get(i.agent) !== 'LIVE' ? [' ', badge(hosts.get(i.agent))] : ''),
        h('td', {class: 'num'}, i.port), h('td', {}, dot(colours.of(i.version)), ' ', i.version),
        h('td', {}, badge(i.status, i.status === 'passing' ? 'ok' : i.status)),
        h('td', {class: 'num', title: 'requests the gateways have in flight on it now'}, String(i.inFlight ?? 0))))),
      rows.length ? '' : h('caption', {}, 'No instance registered in Consul.'))));
  }

  async function act(op, title, text, url) {
    if (!(await confirmed(title, text))) {
      return;
    }
    try {
      await api.post(url);
      clearNotice();
      tell(`${op} accepted by the registry.`, 'ok');
      refresh();
    } catch (e) {
      if (e.status === 403) {
        tell(`This token can only read (403 forbidden): ${op} needs the operator token (BATON_TOKEN). Nothing was `
          + 'changed.', 'error', h('button', {type: 'button', class: 'link', id: 'use-operator-token',
          onclick: () => document.getElementById('change-token').click()}, 'Use another token'));
      } else if (e.status !== 401) {
        tell(`The registry refused ${op} (${e.status} ${e.code}): ${e.message} Nothing was changed.`);
      }
      refresh();
    }
  }

  function addEvent(kind, e) {
    const item = h('li', {class: 'event', dataset: {kind}},
      h('time', {datetime: e.at, title: e.at}, time(e.at)), ' ', h('span', {class: 'kind'}, kind), ' ',
      e.message || e.subject || '');
    el.events.prepend(item);
    while (el.events.children.length > 100) {
      el.events.lastElementChild.remove();
    }
  }

  const loadTraffic = async () => {
    try {
      model.load(await api.get(`${path}/traffic?seconds=${SECONDS}`));
      trafficView.update(model);
    } catch (e) {
      // the app view reports what matters (404, 401); the stream below fills the charts in anyway
    }
  };

  refresh();
  loadTraffic();
  const timer = setInterval(refresh, 5000);
  api.follow(`/v1/events?app=${encodeURIComponent(app)}`, abort.signal, (kind, e) => {
    addEvent(kind, e);
    soon();
  }, stream('events'));
  api.follow(`${path}/traffic/stream`, abort.signal, (kind, e) => {
    if (kind === 'traffic') {
      model.push(e);
      trafficView.update(model);
    }
  }, stream('traffic'));
  el.events.append(h('li', {class: 'muted', id: 'events-empty'}, 'Events of this app appear here as they happen.'));

  function close() {
    abort.abort();
    clearInterval(timer);
    clearTimeout(pending);
    trafficView.close();
  }
  return {close};
}

/** The confirm dialog: resolves true only for an explicit Confirm. */
function confirmed(title, text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.onclose = () => resolve(dialog.returnValue === 'ok');
    dialog.showModal();
  });
}
