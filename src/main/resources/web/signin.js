// The sign-in screen: the user and organization secrets, checked with one API call before they are kept in this
// tab's sessionStorage.

import {h, show, flash, field, clearErrors, showError, focusFirstError, setNavVisible} from './dom.js';
import {api, saveAuth} from './api.js';
import {stopRefresh, route} from './view.js';

export function renderSignIn() {
  stopRefresh();
  setNavVisible(false);
  const user = h('input', {type: 'password', autocomplete: 'off', required: true});
  const org = h('input', {type: 'password', autocomplete: 'off', required: true});
  const form = h('form', {class: 'card narrow', novalidate: true, id: 'sign-in-form'},
    h('p', {class: 'form-error', role: 'alert', hidden: true}),
    field('f-user-secret', 'User secret', user),
    field('f-org-secret', 'Organization secret', org,
      'Both are in the bridge\'s configuration, or in data/generated-secrets.properties on its first start. ' +
      'They stay in this browser tab only, and are forgotten when you sign out or close the tab.'),
    h('button', {type: 'submit', id: 'sign-in'}, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const credentials = {user: user.value.trim(), org: org.value.trim()};
    if (!credentials.user) showError(form, 'f-user-secret', 'Enter your user secret.');
    if (!credentials.org) showError(form, 'f-org-secret', 'Enter the organization secret.');
    if (!credentials.user || !credentials.org) return focusFirstError(form);
    try {
      await api('GET', '/instances', undefined, credentials);
    } catch (err) {
      if (err.status === 401) {
        showError(form, 'f-user-secret', 'These secrets were not accepted: check both.');
        showError(form, 'f-org-secret', err.message);
      } else {
        showError(form, null, err.message);
      }
      return focusFirstError(form);
    }
    saveAuth(credentials);
    flash('');
    route();
  });
  show(h('h1', null, 'Sign in'), form);
}
