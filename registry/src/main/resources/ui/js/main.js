// The dashboard's entry point: asks for a token once per tab (sessionStorage), then shows the apps overview
// (#/) or one app (#/apps/<name>), each live over the registry's streams (README "Dashboard").
import * as api from './api.js';
import {h} from './dom.js';
import {overview} from './overview.js';
import {appPage} from './app-page.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const notice = document.getElementById('notice');
const crumbs = document.getElementById('crumbs');
let view = null;

/** What the page shows at the top: an error a user caused or must act on, until the next one or a dismissal. */
export function tell(message, kind = 'error', action) {
  notice.replaceChildren(h('span', {}, message), action || '',
    h('button', {type: 'button', class: 'link dismiss', 'aria-label': 'dismiss', onclick: () => { notice.hidden = true; }}, '×'));
  notice.className = `notice notice-${kind}`;
  notice.hidden = false;
  clearTimeout(tell.timer);
  if (kind === 'ok') {
    tell.timer = setTimeout(() => { notice.hidden = true; }, 6000);
  }
}

export function clearNotice() {
  clearTimeout(tell.timer);
  notice.hidden = true;
}

export function setLive(state) {
  live.textContent = state === 'live' ? 'live' : state;
  live.className = `live live-${state.replace(/[^a-z]/g, '')}`;
}

export function setCrumbs(...parts) {
  crumbs.replaceChildren(...parts.flatMap((p, i) => i === 0 ? [p] : [h('span', {class: 'sep'}, '/'), p]));
}

function route() {
  if (view) {
    view.close();
  }
  clearNotice();
  document.getElementById('change-token').hidden = !api.token();
  const m = location.hash.match(/^#\/apps\/([^/?#]+)/);
  view = m ? appPage(main, decodeURIComponent(m[1])) : overview(main);
}

/**
 * Asks for a token: resolves once the registry accepted one (a GET /v1/apps with it succeeds). A refused token
 * is never stored: the dialog says why and stays.
 */
function signIn(reason) {
  const dialog = document.getElementById('signin');
  const form = document.getElementById('signin-form');
  const input = document.getElementById('token');
  const error = document.getElementById('signin-error');
  error.hidden = !reason;
  error.textContent = reason || '';
  input.value = '';
  const cancel = document.getElementById('signin-cancel');
  cancel.hidden = !api.token();
  return new Promise((resolve) => {
    cancel.onclick = () => {
      dialog.close();
      resolve();
    };
    form.onsubmit = async (e) => {
      e.preventDefault();
      const candidate = input.value.trim();
      try {
        await api.call('GET', '/v1/apps', undefined, candidate);
        api.setToken(candidate);
        dialog.close();
        resolve();
      } catch (err) {
        error.textContent = err.status === 401
          ? 'The registry refused this token (401 unauthorized): it is neither its read token nor its operator '
            + 'token. Nothing was loaded or changed. Check BATON_READ_TOKEN / BATON_TOKEN and try again.'
          : `Cannot check the token: ${err.message}`;
        error.hidden = false;
        input.select();
      }
    };
    dialog.oncancel = (e) => e.preventDefault();
    if (!dialog.open) {
      dialog.showModal();
    }
    input.focus();
  });
}

async function needsToken() {
  try {
    await api.call('GET', '/v1/apps', undefined, api.token());
    return false;
  } catch (e) {
    return e.status === 401;
  }
}

async function start() {
  let asking = false;
  api.whenUnauthorized(async (err) => {
    if (asking) {
      return;
    }
    asking = true;
    if (view) {
      view.close();
      view = null;
    }
    api.setToken(null);
    await signIn('The registry no longer accepts the token of this tab (' + err.message + '). Give it again.');
    asking = false;
    route();
  });
  const change = document.getElementById('change-token');
  change.onclick = async () => {
    await signIn();
    route();
  };
  if (await needsToken()) {
    api.setToken(null);
    await signIn();
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
