// The registry's API as the dashboard calls it (docs/registry-api.md). The token lives in sessionStorage (this
// tab, until it closes) and goes only in the Authorization header: never in a URL, so streams are read with
// fetch() and parsed here rather than with EventSource, which cannot send headers (docs/ARCHITECTURE.md
// "Dashboard").

const KEY = 'baton.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(KEY, value);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** Called when the registry answers 401 to a call made with the stored token (it changed, or was wrong). */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

function headers(extra, withToken) {
  const h = {Accept: 'application/json', ...extra};
  const t = withToken === undefined ? token() : withToken;
  if (t) {
    h.Authorization = 'Bearer ' + t;
  }
  return h;
}

async function failure(res) {
  let code = 'error';
  let message = `the registry answered ${res.status}`;
  try {
    const body = await res.json();
    code = body.error || code;
    message = body.message || message;
  } catch (e) {
    // not the JSON error shape: keep the status line
  }
  return new ApiError(res.status, code, message);
}

/** GET or POST {@code path}; resolves to the parsed JSON, rejects with an ApiError. */
export async function call(method, path, body, withToken) {
  let res;
  try {
    res = await fetch(path, {
      method, cache: 'no-store',
      headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'}, withToken),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'the registry does not answer (' + e.message + '); retrying');
  }
  if (!res.ok) {
    const err = await failure(res);
    if (res.status === 401 && withToken === undefined) {
      onUnauthorized(err);
    }
    throw err;
  }
  return res.status === 204 ? null : res.json();
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);

/**
 * Follows a Server-Sent Events stream until {@code signal} aborts: calls onEvent(name, data) per event and
 * onState('live' | 'reconnecting') as the connection comes and goes; reconnects after 2 s.
 */
export async function follow(path, signal, onEvent, onState) {
  while (!signal.aborted) {
    try {
      const res = await fetch(path, {headers: headers({Accept: 'text/event-stream'}), cache: 'no-store', signal});
      if (!res.ok) {
        const err = await failure(res);
        if (res.status === 401) {
          onUnauthorized(err);
          return;
        }
        throw err;
      }
      onState('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end), onEvent);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
    }
    onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) {
      name = line.slice(6).trim();
    } else if (line.startsWith('data:')) {
      data.push(line.slice(5).trimStart());
    }
  }
  if (data.length === 0) {
    return;
  }
  try {
    onEvent(name, JSON.parse(data.join('\n')));
  } catch (e) {
    console.warn('bad event', name, e);
  }
}
