// The edit screen: an instance's name, tags, events switch, how Egnyte tells the bridge (polling or webhooks),
// interval, callback URLs, signature key (new, or removed) and resources, saved with PATCH /instances/{id}; the API's
// warnings are shown with the answer.

import {h, show, flash, field, clearErrors, showError, focusFirstError} from './dom.js';
import {api} from './api.js';
import {isCurrent} from './view.js';
import {signatureKeyField, showApiError, callbackList, resourceEditor, splitTags, positiveNumber,
  vendorTypeField} from './forms.js';

export async function renderEdit(id, token) {
  const instance = await api('GET', '/instances/' + encodeURIComponent(id));
  if (!isCurrent(token)) return;
  const c = instance.configuration || {};
  const name = h('input', {type: 'text', value: instance.name, autocomplete: 'off'});
  const tags = h('input', {type: 'text', value: instance.tags.join(', '), autocomplete: 'off'});
  const enabled = h('input', {type: 'checkbox', role: 'switch', id: 'f-events-enabled', checked: instance.eventsEnabled});
  const interval = h('input', {type: 'number', min: '0', step: 'any', inputmode: 'decimal',
    value: String(c['event.poller.refresh_interval'] || '')});
  // the API's default when the key is absent is polling; a PATCH sends the key only when the choice changes it
  const storedVendorType = c['event.vendor.type'] === 'webhooks' ? 'webhooks' : 'polling';
  const vendorType = vendorTypeField(storedVendorType);
  const hasKey = !!c['event.notification.signature.key'];
  const signatureKey = h('input', {type: 'password', autocomplete: 'off',
    placeholder: hasKey ? 'unchanged' : 'none'});
  const removeKey = h('input', {type: 'checkbox', id: 'f-remove-signature-key'});
  const callbacks = callbackList(String(c['event.notification.callback.url'] || '').split(',')
    .map(s => s.trim()).filter(Boolean));
  const resources = resourceEditor(c['event.poller.configuration'] || {});
  const form = h('form', {class: 'card', novalidate: true, id: 'edit-form'},
    h('p', {class: 'form-error', role: 'alert', hidden: true}),
    field('f-name', 'Name', name),
    field('f-tags', 'Tags', tags, 'Comma-separated.'),
    h('div', {class: 'field switch'}, enabled, h('label', {for: 'f-events-enabled'}, 'Events enabled'),
      h('p', {class: 'error', id: 'f-events-enabled-error', hidden: true})),
    vendorType,
    field('f-interval', 'Refresh interval (minutes)', interval),
    callbacks,
    signatureKeyField('f-signature-key', 'New signature key', signatureKey, hasKey
      ? 'Leave empty to keep the current key.' : 'Leave empty to keep notifications unsigned.'),
    hasKey ? h('div', {class: 'field switch'}, removeKey,
      h('label', {for: 'f-remove-signature-key'}, 'Stop signing notifications (remove the key)')) : null,
    resources,
    h('div', {class: 'actions'},
      h('button', {type: 'submit', id: 'save-instance'}, 'Save'),
      h('a', {class: 'button secondary', href: '#/instances/' + encodeURIComponent(id)}, 'Cancel')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const polled = resources.values(form);
    if (!name.value.trim()) showError(form, 'f-name', 'Give the instance a name.');
    if (!positiveNumber(interval.value)) showError(form, 'f-interval', 'Enter a positive number of minutes.');
    const urls = callbacks.values();
    if (enabled.checked && urls.length === 0) showError(form, 'f-callbacks', 'Add the URL notifications are sent to.');
    if (form.querySelector('.error:not([hidden])') || !polled) return focusFirstError(form);
    const configuration = {
      'event.notification.enabled': enabled.checked,
      'event.poller.refresh_interval': interval.value.trim(),
      'event.notification.callback.url': urls.length ? urls.join(',') : null,
      'event.poller.configuration': polled
    };
    const chosenVendorType = vendorType.querySelector('select').value;
    if (chosenVendorType !== storedVendorType) configuration['event.vendor.type'] = chosenVendorType;
    if (removeKey.checked) {
      configuration['event.notification.signature.key'] = null;
    } else if (signatureKey.value) {
      configuration['event.notification.signature.key'] = signatureKey.value;
    }
    let saved;
    try {
      saved = await api('PATCH', '/instances/' + encodeURIComponent(id), {name: name.value.trim(),
        tags: splitTags(tags.value), configuration});
    } catch (err) {
      showApiError(form, err);
      return;
    }
    // what the API warns of (an interval the daily call budget cannot keep, a key Standard Webhooks rejects)
    const warnings = (saved && Array.isArray(saved.warnings)) ? saved.warnings : [];
    flash(['Saved "' + name.value.trim() + '".'].concat(warnings).join(' '), 'info');
    location.hash = '#/instances/' + encodeURIComponent(id);
  });
  show(h('h1', null, 'Edit ' + instance.name), form);
}
