// Which view is current, and its refresh timer: a view started later wins over an earlier one still loading
// (each render takes a token from newView() and checks isCurrent(token) after every await), and only the current
// view refreshes itself. route() re-renders the view the address names; the entry module (app.js) sets the router.

let renderToken = 0;
let refreshTimer = null;
let router = null;

/** A new view starts: the token that tells whether it is still the current one. */
export function newView() {
  return ++renderToken;
}

export function isCurrent(token) {
  return token === renderToken;
}

export function stopRefresh() {
  if (refreshTimer) {
    clearInterval(refreshTimer);
    refreshTimer = null;
  }
}

/** Calls refresh every ms until the next view (or stopRefresh). */
export function startRefresh(refresh, ms) {
  stopRefresh();
  refreshTimer = setInterval(refresh, ms);
}

export function setRouter(render) {
  router = render;
}

/** Shows the view of the current address again (after a sign-in, or an action that changes what it shows). */
export function route() {
  return router();
}
