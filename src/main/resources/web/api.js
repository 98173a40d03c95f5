// The bridge's REST API as the page calls it: api() with the Authorization header, ApiError, and what this tab keeps
// in sessionStorage: the user and organization secrets (never in a URL, a cookie or localStorage) and the new
// instance's form while the user is at Egnyte's consent page.

const AUTH_KEY = 'bridge.auth';
const PENDING_KEY = 'bridge.pendingInstance';
let sessionRejected = () => undefined;

export function auth() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(AUTH_KEY) || 'null');
    return stored && stored.user && stored.org ? stored : null;
  } catch (e) {
    return null;
  }
}

function authHeader(credentials) {
  return 'User ' + credentials.user + ', Organization ' + credentials.org;
}

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

/** Calls the API; the answer's JSON. When given, meta.total receives the X-Total-Count header (a number or null). */
export async function api(method, path, body, credentials, meta) {
  const who = credentials || auth();
  if (!who) throw new ApiError(401, 'Sign in first.');
  const headers = {'Authorization': authHeader(who), 'Accept': 'application/json'};
  const init = {method, headers, credentials: 'omit', cache: 'no-store', redirect: 'error'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'The bridge did not answer. Is it running?');
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!response.ok) {
    const message = json && typeof json.message === 'string' ? json.message : 'The bridge answered ' + response.status + '.';
    if (response.status === 401 && !credentials) {
      sessionRejected('Your session was not accepted any more: sign in again.');
    }
    throw new ApiError(response.status, message, json && typeof json.field === 'string' ? json.field : null);
  }
  if (meta) {
    const total = response.headers.get('X-Total-Count');
    meta.total = total === null || isNaN(Number(total)) ? null : Number(total);
  }
  return json;
}

/** What to do when the API no longer accepts the stored secrets (the entry module signs out). */
export function onSessionRejected(handler) {
  sessionRejected = handler;
}

export function saveAuth(credentials) {
  sessionStorage.setItem(AUTH_KEY, JSON.stringify(credentials));
}

/** Signing out: the secrets and any new instance's form waiting for Egnyte are forgotten. */
export function forgetAuth() {
  sessionStorage.removeItem(AUTH_KEY);
  sessionStorage.removeItem(PENDING_KEY);
}

/** The new instance waiting for Egnyte's answer: {state, callbackUrl, form}, or null. */
export function pendingCreation() {
  try {
    return JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  } catch (e) {
    return null;
  }
}

export function keepPending(pending) {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
}

export function dropPending() {
  sessionStorage.removeItem(PENDING_KEY);
}
