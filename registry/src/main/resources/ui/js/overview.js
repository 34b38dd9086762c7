// The apps overview (#/): per app its status, current version, passing/desired instances, the route's split as a
// bar, the versions running and the active release. Refreshed on every event of the registry's stream (a
// release step, an instance started or stopped) and every 10 s (Consul health changes have no event).
import * as api from './api.js';
import {badge, Colours, compareVersions, dot, h, splitBar} from './dom.js';
import {setCrumbs, setLive, tell, clearNotice} from './main.js';

export function overview(main) {
  const abort = new AbortController();
  const colours = new Colours();
  const list = h('div', {class: 'apps', id: 'apps'});
  main.replaceChildren(h('h1', {}, 'Apps'), list);
  setCrumbs(h('span', {}, 'apps'));
  document.title = 'apps · baton';

  let pending = null;
  const refresh = async () => {
    try {
      const apps = await api.get('/v1/apps');
      clearNotice();
      render(list, apps, colours);
    } catch (e) {
      if (e.status !== 401) {
        tell(`Cannot load the apps: ${e.message}`);
      }
    }
  };
  const soon = () => {
    if (!pending) {
      pending = setTimeout(() => { pending = null; refresh(); }, 300);
    }
  };
  refresh();
  const timer = setInterval(refresh, 10000);
  api.follow('/v1/events', abort.signal, soon, setLive);
  return {close: () => { abort.abort(); clearInterval(timer); clearTimeout(pending); }};
}

function render(list, apps, colours) {
  if (apps.length === 0) {
    list.replaceChildren(h('p', {class: 'muted'}, 'No apps yet. Create one with ',
      h('code', {}, 'baton app apply -f spec.yaml'), '.'));
    return;
  }
  apps.sort((a, b) => a.app.localeCompare(b.app));
  list.replaceChildren(...apps.map((a) => card(a, colours)));
}

function card(a, colours) {
  const split = (a.route?.split || []).map((w) => ({version: w.version, weight: w.weight}));
  const running = new Map();
  for (const i of a.instances || []) {
    const r = running.get(i.version) || {passing: 0, total: 0};
    r.total++;
    if (i.status === 'passing') {
      r.passing++;
    }
    running.set(i.version, r);
  }
  colours.learn([...running.keys(), ...split.map((s) => s.version)]);
  const release = a.activeRelease;
  return h('a', {class: 'card app-card', href: `#/apps/${encodeURIComponent(a.app)}`, dataset: {app: a.app}},
    h('div', {class: 'card-head'},
      h('h2', {}, a.app),
      badge(a.status),
      h('span', {class: 'muted'}, a.version ? `current ${a.version}` : 'no current version'),
      h('span', {class: 'count', title: 'passing instances of the current version / desired'},
        `${a.passing}/${a.desired} passing`)),
    splitBar(split, colours, `route split of ${a.app}`),
    h('div', {class: 'versions'}, [...running.entries()].sort((x, y) => compareVersions(x[0], y[0])).map(([v, r]) =>
      h('span', {class: 'chip', title: `${v}: ${r.passing} of ${r.total} instance(s) passing`},
        dot(colours.of(v)), `${v} · ${r.passing}/${r.total}`))),
    release
      ? h('div', {class: 'release-line'}, badge(release.phase), ' ',
        `${release.strategy?.type || ''} ${release.fromVersion || '∅'} → ${release.toVersion}: ${release.message || ''}`)
      : h('div', {class: 'release-line muted'}, 'no release in progress'),
    a.status !== 'OK' && a.reason ? h('div', {class: 'reason'}, a.reason) : '');
}

