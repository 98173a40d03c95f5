// The new instance screen: the form, then Egnyte's consent page (the form waits in this tab's sessionStorage), then
// the OAuth return (?code=&state=, checked against the state this tab generated), the instance created and its
// token shown once.

import {h, show, flash, field, clearErrors, showError, focusFirstError} from './dom.js';
import {api, pendingCreation, keepPending, dropPending} from './api.js';
import {stopRefresh} from './view.js';
import {SEED_EVENTS_RESOURCE, copyButton, signatureKeyField, showApiError, callbackList, resourceEditor, splitTags,
  positiveNumber, vendorTypeField} from './forms.js';

function randomState() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** The URL Egnyte sends the user back to: this page, without query or fragment. */
function returnUrl() {
  return location.origin + location.pathname;
}

export function renderCreate(saved, errorToShow) {
  stopRefresh();
  const values = saved || {};
  const name = h('input', {type: 'text', value: values.name || '', autocomplete: 'off'});
  const subdomain = h('input', {type: 'text', value: values.subdomain || '', autocomplete: 'off',
    autocapitalize: 'none', spellcheck: 'false'});
  const apiKey = h('input', {type: 'text', value: values.apiKey || '', autocomplete: 'off', spellcheck: 'false'});
  const apiSecret = h('input', {type: 'password', value: values.apiSecret || '', autocomplete: 'off'});
  const tags = h('input', {type: 'text', value: (values.tags || []).join(', '), autocomplete: 'off'});
  const enabled = h('input', {type: 'checkbox', role: 'switch', checked: values.eventsEnabled !== false});
  const interval = h('input', {type: 'number', min: '0', step: 'any', inputmode: 'decimal',
    value: values.interval || '15'});
  const signatureKey = h('input', {type: 'password', value: values.signatureKey || '', autocomplete: 'off'});
  const vendorType = vendorTypeField(values.vendorType);
  const callbacks = callbackList(values.callbackUrls || []);
  const resources = resourceEditor(values.resources || {events: SEED_EVENTS_RESOURCE});
  const form = h('form', {class: 'card', novalidate: true, id: 'create-form'},
    h('p', {class: 'form-error', role: 'alert', hidden: true}),
    field('f-name', 'Name', name),
    field('f-subdomain', 'Egnyte subdomain', subdomain, 'The "acme" of acme.egnyte.com.'),
    field('f-api-key', 'API key', apiKey, 'Your Egnyte developer key (OAuth client id).'),
    field('f-api-secret', 'API secret', apiSecret),
    field('f-tags', 'Tags', tags, 'Comma-separated, optional.'),
    h('div', {class: 'field switch'}, enabled, h('label', {for: 'f-events-enabled'}, 'Events enabled'),
      h('p', {class: 'error', id: 'f-events-enabled-error', hidden: true})),
    vendorType,
    field('f-interval', 'Refresh interval (minutes)', interval, 'Egnyte recommends 5 minutes or more.'),
    callbacks,
    signatureKeyField('f-signature-key', 'Signature key (optional)', signatureKey,
      'With a key, every notification is signed (HMAC-SHA256, Standard Webhooks) so your endpoint can check it came ' +
      'from the bridge. Generate makes a whsec_ key, which the Standard Webhooks libraries accept.'),
    resources,
    h('div', {class: 'actions'},
      h('button', {type: 'submit', id: 'create-instance'}, 'Create Instance'),
      h('button', {type: 'button', class: 'secondary', id: 'discard', onclick: () => {
        dropPending();
        location.hash = '#/';
      }}, 'Cancel')),
    h('p', {class: 'hint'}, 'Create Instance takes you to Egnyte to allow access, then back here. Until the instance ' +
      'is created, what you typed (secrets included) is kept in this tab\'s session storage; it is cleared once ' +
      'the instance exists, when you cancel or sign out.'));
  enabled.id = 'f-events-enabled';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const pendingForm = {
      name: name.value.trim(), subdomain: subdomain.value.trim(), apiKey: apiKey.value.trim(),
      apiSecret: apiSecret.value, tags: splitTags(tags.value), eventsEnabled: enabled.checked,
      interval: interval.value.trim(), callbackUrls: callbacks.values(), signatureKey: signatureKey.value,
      resources: resources.values(form), vendorType: vendorType.querySelector('select').value
    };
    if (!pendingForm.name) showError(form, 'f-name', 'Give the instance a name.');
    if (!pendingForm.subdomain) showError(form, 'f-subdomain', 'Enter your Egnyte subdomain.');
    if (!pendingForm.apiKey) showError(form, 'f-api-key', 'Enter your Egnyte API key.');
    if (!pendingForm.apiSecret) showError(form, 'f-api-secret', 'Enter your Egnyte API secret.');
    if (!positiveNumber(pendingForm.interval)) showError(form, 'f-interval', 'Enter a positive number of minutes.');
    if (pendingForm.eventsEnabled && pendingForm.callbackUrls.length === 0) {
      showError(form, 'f-callbacks', 'Add the URL notifications are sent to.');
    }
    if (form.querySelector('.error:not([hidden])')) return focusFirstError(form);
    const state = randomState();
    const callbackUrl = returnUrl();
    const query = new URLSearchParams({apiKey: pendingForm.apiKey, callbackUrl, state, subdomain: pendingForm.subdomain});
    // webhooks: Egnyte is asked for the Egnyte.webhooks scope too, which registering the webhook needs
    if (pendingForm.vendorType === 'webhooks') query.set('vendorType', 'webhooks');
    let answer;
    try {
      answer = await api('GET', '/elements/egnyte/oauth/url?' + query.toString());
    } catch (err) {
      if (err.field === 'callbackUrl') err.field = null;
      showApiError(form, err);
      return;
    }
    let target;
    try {
      target = new URL(answer.oauthUrl);
    } catch (err) {
      target = null;
    }
    if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) {
      showError(form, null, 'The bridge answered an authorize URL this page will not open.');
      return;
    }
    keepPending({state, callbackUrl, form: pendingForm});
    location.assign(target.href);
  });
  show(h('h1', null, 'New instance'), form);
  if (errorToShow) showApiError(form, errorToShow);
}

/** Egnyte sent the user back here with ?code=&state= (or ?error=): finish creating the instance. */
export async function finishAuthorization(params) {
  // the code must not stay in the address bar, the history or a bookmark
  history.replaceState(null, '', location.pathname + '#/new');
  const pending = pendingCreation();
  if (!pending) {
    flash('Egnyte sent you back, but no new instance was waiting in this tab: fill in the form again.', 'error');
    renderCreate();
    return;
  }
  if (params.get('state') !== pending.state) {
    dropPending();
    flash('The answer from Egnyte did not match this tab\'s request, so it was ignored. Try again.', 'error');
    renderCreate(Object.assign({}, pending.form, {apiSecret: '', signatureKey: ''}));
    return;
  }
  if (!params.get('code')) {
    const reason = params.get('error_description') || params.get('error') || 'no authorization code';
    flash('Egnyte did not grant access (' + reason + ').', 'error');
    renderCreate(pending.form);
    return;
  }
  const f = pending.form;
  const configuration = {
    'oauth.callback.url': pending.callbackUrl,
    'oauth.api.key': f.apiKey,
    'oauth.api.secret': f.apiSecret,
    'subdomain': f.subdomain,
    'event.notification.enabled': f.eventsEnabled,
    'event.poller.refresh_interval': f.interval,
    'event.poller.configuration': f.resources
  };
  if (f.callbackUrls.length) configuration['event.notification.callback.url'] = f.callbackUrls.join(',');
  if (f.signatureKey) configuration['event.notification.signature.key'] = f.signatureKey;
  if (f.vendorType === 'webhooks') configuration['event.vendor.type'] = 'webhooks';
  show(h('h1', null, 'Creating the instance…'), h('p', null, 'Egnyte granted access; storing the instance.'));
  let created;
  try {
    created = await api('POST', '/instances', {
      element: {key: 'egnyte'}, providerData: {code: params.get('code')}, name: f.name, tags: f.tags, configuration
    });
  } catch (err) {
    flash('Egnyte granted access, but the instance was not created. Fix what is marked and press Create Instance again.',
      'error');
    renderCreate(f, err);
    return;
  }
  dropPending();
  renderCreated(created);
}

function renderCreated(instance) {
  const token = h('input', {type: 'text', id: 'new-token', readonly: true, value: instance.token,
    'aria-describedby': 'token-hint', spellcheck: 'false'});
  const copied = h('span', {class: 'copied', role: 'status', id: 'copy-status'});
  show(h('h1', null, 'Instance created'),
    h('div', {class: 'card'},
      h('dl', {class: 'facts'},
        h('dt', null, 'Id'), h('dd', {id: 'new-id'}, String(instance.id)),
        h('dt', null, 'Name'), h('dd', null, instance.name)),
      Array.isArray(instance.warnings) && instance.warnings.length
        ? h('ul', {class: 'hint warn', id: 'create-warnings'}, instance.warnings.map(w => h('li', null, w))) : null,
      h('label', {for: 'new-token'}, 'Instance token'),
      h('p', {class: 'hint warn', id: 'token-hint'}, 'Copy it now: the bridge shows it only this once and keeps ' +
        'only its hash. Scoped calls send it as "Element <token>" in the Authorization header.'),
      h('div', {class: 'copy-row'}, token, copyButton(token, 'copy-token', 'Copy token', copied), copied),
      h('div', {class: 'actions'},
        h('a', {class: 'button', id: 'open-instance', href: '#/instances/' + encodeURIComponent(instance.id)},
          'Open the instance'),
        h('a', {class: 'button secondary', href: '#/'}, 'All instances'))));
}
