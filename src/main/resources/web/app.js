// Egnyte Events Bridge: the instance setup page. Plain JavaScript, no build step, no third-party code.
// Everything shown is built with DOM nodes and textContent (never innerHTML), so no value from the API or the
// address bar can become markup. The secrets live in this tab's sessionStorage only and travel in the
// Authorization header, never in a URL or a cookie.
//
// This module is the entry (loaded as <script type="module">): the router from the address's #fragment to a screen,
// signing out, and the OAuth return. The screens are modules of their own: signin.js, list.js, create.js,
// instance.js (with chart.js), edit.js; they share dom.js (DOM helpers), api.js (API calls and what this tab keeps),
// view.js (the current view and its refresh timer), forms.js (create and edit) and status.js (badges, poll line).

import {h, show, flash, flashTurn, setNavVisible, refreshTimes} from './dom.js';
import {auth, forgetAuth, pendingCreation, onSessionRejected} from './api.js';
import {newView, isCurrent, stopRefresh, setRouter} from './view.js';
import {renderSignIn} from './signin.js';
import {renderList} from './list.js';
import {renderCreate, finishAuthorization} from './create.js';
import {renderDetail} from './instance.js';
import {renderEdit} from './edit.js';

function signOut(message) {
  forgetAuth();
  stopRefresh();
  setNavVisible(false);
  if (location.hash !== '#/') {
    history.replaceState(null, '', location.pathname + '#/');
  }
  renderSignIn();
  if (message) flash(message, 'error');
}

// ------------------------------------------------------------------ routing

async function route() {
  const token = newView();
  stopRefresh();
  flashTurn();
  if (!auth()) {
    renderSignIn();
    return;
  }
  setNavVisible(true);
  const hash = location.hash || '#/';
  let m;
  try {
    if (hash === '#/new') {
      const pending = pendingCreation();
      renderCreate(pending ? pending.form : undefined);
    } else if ((m = hash.match(/^#\/instances\/(\d+)\/edit$/))) {
      await renderEdit(m[1], token);
    } else if ((m = hash.match(/^#\/instances\/(\d+)$/))) {
      await renderDetail(m[1], token);
    } else {
      await renderList(token);
    }
  } catch (err) {
    if (!isCurrent(token) || !auth()) return;
    show(h('h1', null, err.status === 404 ? 'Not found' : 'Something went wrong'),
      h('p', {class: 'bad'}, err.message), h('p', null, h('a', {href: '#/'}, 'Back to the instances')));
  }
}

onSessionRejected(signOut);
setRouter(route);
document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
setInterval(refreshTimes, 30000);
window.addEventListener('hashchange', () => {
  route();
});

const params = new URLSearchParams(location.search);
if (params.has('code') || params.has('error')) {
  if (auth()) {
    setNavVisible(true);
    finishAuthorization(params);
  } else {
    history.replaceState(null, '', location.pathname + '#/');
    renderSignIn();
    flash('Egnyte sent you back, but this tab is not signed in any more: sign in and create the instance again.',
      'error');
  }
} else {
  route();
}
