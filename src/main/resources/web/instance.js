// The instance view: its facts (configuration, poller state, daily budget, gaps), each callback URL's health with
// Enable, Pause / Resume polling, Edit, Delete, its Egnyte webhook (push state, Register again), the 24-hour chart,
// and the event history (filters by status and days, pages, Retry, Retry all failed, Replay since...), refreshed
// every few seconds while it is shown.

import {h, append, clear, show, flash, badge, when, joined, plural, field, clearErrors, showError} from './dom.js';
import {api} from './api.js';
import {isCurrent, stopRefresh, startRefresh, route} from './view.js';
import {statusBadges, pollLine} from './status.js';
import {renderActivity} from './chart.js';

const HISTORY_PAGE_SIZE = 20;
const REFRESH_MS = 5000;

/** How often the instance is really polled and its Egnyte token's calls against the daily budget. */
function budgetFacts(poller) {
  if (poller.effectiveIntervalSeconds == null) return null;
  const budget = poller.callBudgetPerDay > 0
    ? poller.callsLast24h + ' of ' + poller.callBudgetPerDay + ' a day (this token, all its instances)'
    : poller.callsLast24h + ' (no daily budget)';
  return [h('dt', null, 'Polled every'), h('dd', {id: 'effective-interval'}, poller.effectiveIntervalSeconds + ' s',
      poller.effectiveIntervalReason ? h('p', {class: 'hint', id: 'effective-interval-reason'},
        poller.effectiveIntervalReason) : null),
    h('dt', null, 'Egnyte calls, last 24 h'), h('dd', {id: 'daily-budget'}, budget)];
}

/** Times events may have been lost at Egnyte: how many, and the newest few. */
function gapFacts(gaps) {
  if (!gaps) return null;
  if (!gaps.count) return [h('dt', null, 'Gaps'), h('dd', {id: 'gaps'}, 'none: no events lost at Egnyte')];
  const list = h('ul', {class: 'gap-list'});
  (gaps.latest || []).forEach(gap => append(list, [h('li', null, when(gap.detectedAt), ': ', gap.resource,
    ' from cursor ', gap.fromCursor, ' to ', gap.toCursor, ' (', gap.reason, gap.notified ? ', notified' : '', ')')]));
  return [h('dt', null, 'Gaps'), h('dd', {id: 'gaps'},
    gaps.count + (gaps.count === 1 ? ' time' : ' times') + ' events may have been lost at Egnyte', list)];
}

// ------------------------------------------------------------------ detail

export async function renderDetail(id, token, page) {
  const instance = await api('GET', '/instances/' + encodeURIComponent(id));
  if (!isCurrent(token)) return;
  const c = instance.configuration || {};
  const poller = instance.poller || {};
  const history = h('section', {class: 'history', 'aria-labelledby': 'history-title'},
    h('div', {class: 'title-row'}, h('h2', {id: 'history-title'}, 'Event history'),
      h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'secondary', id: 'refresh-history', onclick: () => loadHistory(true)},
          'Refresh'),
        h('button', {type: 'button', class: 'secondary', id: 'retry-all-failed', onclick: async (e) => {
          await act(e.currentTarget, () => api('POST', '/instances/' + encodeURIComponent(id) + '/events/retry'),
            answer => 'Requeued ' + plural(answer.requeued, 'failed delivery', 'failed deliveries') + '.');
          loadHistory(true);
        }}, 'Retry all failed'))),
    historyFilters(() => {
      currentPage = 1;
      loadHistory(true);
    }),
    h('p', {class: 'meta', id: 'history-count'}),
    h('div', {id: 'history-list'}, h('p', null, 'Loading…')),
    replayForm(id, () => loadHistory(true)));
  const activity = h('section', {class: 'activity card', 'aria-labelledby': 'activity-title'},
    h('h2', {id: 'activity-title'}, 'Last 24 hours'),
    h('div', {id: 'activity-chart'}, h('p', null, 'Loading…')));
  const confirmBox = h('div', {class: 'confirm', id: 'delete-confirm', hidden: true, role: 'alertdialog',
    'aria-labelledby': 'delete-question'},
    h('p', {id: 'delete-question'}, 'Delete "' + instance.name + '"? Its poller stops and its history is deleted.'),
    h('button', {type: 'button', class: 'danger', id: 'confirm-delete', onclick: async (e) => {
      const ok = await act(e.currentTarget, () => api('DELETE', '/instances/' + encodeURIComponent(id)),
        () => 'Deleted "' + instance.name + '".');
      if (ok) location.hash = '#/';
    }}, 'Yes, delete'),
    h('button', {type: 'button', class: 'secondary', id: 'cancel-delete', onclick: () => {
      confirmBox.hidden = true;
      document.getElementById('delete-instance').focus();
    }}, 'Keep it'));
  const callbackBox = h('div', {id: 'callback-health', tabindex: '-1'});
  renderCallbacks(callbackBox, id, callbackStates(instance));
  const pushBox = instance.push ? h('div', {id: 'push-box', tabindex: '-1'}) : null;
  if (pushBox) renderPush(pushBox, id, instance.push);
  show(h('div', {class: 'title-row'}, h('h1', null, instance.name)),
    h('div', {class: 'card'},
      statusBadges(instance),
      h('dl', {class: 'facts'},
        h('dt', null, 'Id'), h('dd', {id: 'instance-id'}, String(instance.id)),
        h('dt', null, 'Subdomain'), h('dd', null, c.subdomain || ''),
        h('dt', null, 'Tags'), h('dd', null, instance.tags.join(', ') || '—'),
        h('dt', null, 'Created'), h('dd', null, when(instance.createdDate)),
        h('dt', null, 'Events'), h('dd', {id: 'events-state'}, instance.eventsEnabled ? 'on' : 'off (paused)'),
        h('dt', null, 'Event source'), h('dd', {id: 'vendor-type'}, c['event.vendor.type'] === 'webhooks'
          ? 'Egnyte webhooks (push), polled on the interval as backstop' : 'polling on the interval'),
        h('dt', null, 'Refresh interval'), h('dd', null, String(c['event.poller.refresh_interval'] || '') + ' minutes'),
        h('dt', null, 'Callback URLs'), h('dd', null, callbackBox),
        h('dt', null, 'Signed'), h('dd', null, c['event.notification.signature.key'] ? 'yes' : 'no'),
        h('dt', null, 'Resources'), h('dd', null, Object.keys(c['event.poller.configuration'] || {}).join(', ')),
        h('dt', null, 'Last poll'), h('dd', {id: 'last-poll'}, pollLine(poller, false)),
        poller.pausedReason ? [h('dt', null, 'Paused because'), h('dd', null, poller.pausedReason)] : null,
        budgetFacts(poller),
        gapFacts(instance.gaps)),
      h('div', {class: 'actions'},
        h('button', {type: 'button', id: 'toggle-events', onclick: async (e) => {
          const enable = !instance.eventsEnabled;
          const ok = await act(e.currentTarget, () => api('PATCH', '/instances/' + encodeURIComponent(id),
            {configuration: {'event.notification.enabled': enable}}),
            () => enable ? 'Polling resumed.' : 'Polling paused: no events are read until you resume.');
          if (ok) route();
        }}, instance.eventsEnabled ? 'Pause polling' : 'Resume polling'),
        h('a', {class: 'button secondary', id: 'edit-instance', href: '#/instances/' + encodeURIComponent(id) + '/edit'},
          'Edit'),
        h('button', {type: 'button', class: 'danger', id: 'delete-instance', onclick: () => {
          confirmBox.hidden = false;
          document.getElementById('cancel-delete').focus();
        }}, 'Delete')),
      confirmBox),
    pushBox ? h('section', {class: 'card push', 'aria-labelledby': 'push-title'},
      h('h2', {id: 'push-title'}, 'Push (Egnyte webhooks)'), pushBox) : null,
    activity,
    history);

  let currentPage = page || 1;
  const open = new Set();

  async function loadActivity() {
    const box = document.getElementById('activity-chart');
    if (!box || !isCurrent(token)) return;
    let hours;
    try {
      hours = await api('GET', '/instances/' + encodeURIComponent(id) + '/activity?hours=24');
    } catch (err) {
      clear(box);
      append(box, h('p', {class: 'bad'}, 'The last 24 hours could not be read: ' + err.message));
      return;
    }
    if (isCurrent(token)) renderActivity(box, hours);
  }

  async function loadHistory(force) {
    const box = document.getElementById('history-list');
    if (!box || !isCurrent(token)) return stopRefresh();
    // do not pull the list from under a keyboard user or an open attempt list, unless asked to
    if (!force && box.contains(document.activeElement)) return;
    const filterForm = document.getElementById('history-filters');
    const filters = filterForm ? historyQuery(filterForm, force) : {query: '', active: false};
    if (filters.error) return;
    const meta = {};
    let events;
    try {
      events = await api('GET', '/instances/' + encodeURIComponent(id) + '/events?page=' + currentPage +
        '&pageSize=' + HISTORY_PAGE_SIZE + filters.query, undefined, undefined, meta);
    } catch (err) {
      if (err.field && filterForm && showFilterError(filterForm, err)) return;
      clear(box);
      append(box, h('p', {class: 'bad'}, 'The event history could not be read: ' + err.message));
      return;
    }
    if (!isCurrent(token)) return;
    const total = meta.total;
    const pages = total === null ? null : Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
    if (pages !== null && currentPage > pages) {
      // the matches shrank under this page (a filter, a purge): show the last page there is
      currentPage = pages;
      return loadHistory(true);
    }
    const countLine = document.getElementById('history-count');
    if (countLine) {
      countLine.textContent = total === null ? '' : total === 0 ? ''
        : 'Showing ' + ((currentPage - 1) * HISTORY_PAGE_SIZE + 1) + '–' +
          ((currentPage - 1) * HISTORY_PAGE_SIZE + events.length) + ' of ' +
          plural(total, filters.active ? 'matching notification' : 'notification') +
          ' · page ' + currentPage + ' of ' + pages;
    }
    if (!force) {
      loadActivity();
      // the poller's state moves on too: the last poll line follows it
      api('GET', '/instances/' + encodeURIComponent(id)).then(latest => {
        const line = document.getElementById('last-poll');
        if (line && isCurrent(token)) {
          clear(line);
          append(line, pollLine(latest.poller, false));
        }
        // so does each callback URL's health, unless the keyboard is on it
        const box = document.getElementById('callback-health');
        if (box && isCurrent(token) && !box.contains(document.activeElement)) {
          renderCallbacks(box, id, callbackStates(latest));
        }
        // and the Egnyte webhook's state (a redraw keeps the keyboard on Register again)
        const push = document.getElementById('push-box');
        if (push && isCurrent(token)) {
          renderPush(push, id, latest.push || null);
        }
      }, () => undefined);
    }
    box.querySelectorAll('details[open]').forEach(d => open.add(d.dataset.eventId));
    box.querySelectorAll('details:not([open])').forEach(d => open.delete(d.dataset.eventId));
    clear(box);
    if (events.length === 0) {
      append(box, h('p', {class: 'empty', id: 'no-events'}, filters.active ? 'No notification matches these filters.'
        : currentPage === 1
          ? 'No notifications yet. They appear here once Egnyte reports activity and the poller hands it on.'
          : 'No older notifications.'));
    } else {
      append(box, h('ol', {class: 'events', id: 'events'}, events.map(n => eventItem(id, n, open, loadHistory))));
    }
    append(box, h('div', {class: 'actions pager'},
      currentPage > 1 ? h('button', {type: 'button', class: 'secondary', id: 'newer-events', onclick: () => {
        currentPage--;
        loadHistory(true);
      }}, 'Newer') : null,
      (pages !== null ? currentPage < pages : events.length === HISTORY_PAGE_SIZE) ? h('button', {type: 'button',
        class: 'secondary', id: 'older-events',
        onclick: () => {
          currentPage++;
          loadHistory(true);
        }}, 'Older') : null));
  }

  loadActivity();
  await loadHistory(true);
  startRefresh(() => loadHistory(false), REFRESH_MS);
}

// ------------------------------------------------------------------ history filters

const HISTORY_STATUSES = [['', 'All statuses'], ['FAILED', 'Failed'], ['FAILED,RETRYING', 'Failed or retrying'],
  ['RETRYING', 'Retrying'], ['PENDING', 'Pending'], ['DELIVERED', 'Delivered']];

/**
 * "Replay since…": every notification stored since a time is sent again (POST /instances/{id}/events/replay), for a
 * receiver that lost data. The time is the browser's local time, sent as UTC.
 */
function replayForm(id, replayed) {
  const since = h('input', {type: 'datetime-local', step: '1'});
  const form = h('form', {class: 'toolbar replay', id: 'replay-form', 'aria-label': 'Replay notifications',
    novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(form);
      const at = since.value ? new Date(since.value) : null;
      if (!at || isNaN(at.getTime())) {
        showError(form, 'replay-since', 'Choose the time to replay from.').focus();
        return;
      }
      const ok = await act(form.querySelector('#replay'), () => api('POST', '/instances/' + encodeURIComponent(id)
        + '/events/replay', {since: at.toISOString()}),
        answer => 'Replaying ' + plural(answer.notifications, 'notification', 'notifications') + ' ('
          + plural(answer.deliveries, 'delivery', 'deliveries') + ') stored since ' + at.toLocaleString() + '.');
      if (ok) replayed();
    }},
    field('replay-since', 'Replay since', since,
      'Sends every notification stored since then again, delivered ones too, with their original event ids.'),
    h('div', {class: 'field filter-buttons'}, h('button', {type: 'submit', class: 'secondary', id: 'replay'}, 'Replay')),
    h('p', {class: 'form-error', hidden: true}));
  return form;
}

/** The event history's filters: status and a range of days (in local time, both days included). */
function historyFilters(changed) {
  const status = h('select', null, HISTORY_STATUSES.map(([value, label]) => h('option', {value}, label)));
  const from = h('input', {type: 'date', max: '9999-12-31'});
  const to = h('input', {type: 'date', max: '9999-12-31'});
  const form = h('form', {class: 'toolbar filters', id: 'history-filters', role: 'search',
    'aria-label': 'Event history filters', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      changed();
    }},
    field('h-status', 'Status', status),
    field('h-from', 'From (day)', from),
    field('h-to', 'To (day, included)', to),
    h('div', {class: 'field filter-buttons'},
      h('button', {type: 'submit', class: 'secondary', id: 'apply-filters'}, 'Apply'),
      h('button', {type: 'button', class: 'secondary', id: 'clear-filters', onclick: () => {
        status.value = '';
        from.value = '';
        to.value = '';
        changed();
      }}, 'Clear')),
    h('p', {class: 'form-error', hidden: true}));
  status.addEventListener('change', changed);
  from.addEventListener('change', changed);
  to.addEventListener('change', changed);
  return form;
}

/**
 * The filters as query parameters: since is the start of the From day, until the end of the To day (local time).
 * A change (fresh) clears the errors shown; a refresh leaves them, so they do not blink.
 */
function historyQuery(form, fresh) {
  if (fresh) {
    form.querySelectorAll('.error, .form-error').forEach(e => { e.hidden = true; clear(e); });
    form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  }
  const status = form.querySelector('#h-status').value;
  const from = form.querySelector('#h-from');
  const to = form.querySelector('#h-to');
  const parts = [];
  if (status) parts.push('status=' + encodeURIComponent(status));
  for (const [input, name, plusDays] of [[from, 'since', 0], [to, 'until', 1]]) {
    if (input.validity && input.validity.badInput) {
      showError(form, input.id, 'Enter a whole date.');
      return {error: true};
    }
    if (!input.value) continue;
    const [y, m, d] = input.value.split('-').map(Number);
    const day = new Date(y, m - 1, d + plusDays);
    if (isNaN(day.getTime())) {
      showError(form, input.id, 'Enter a whole date.');
      return {error: true};
    }
    parts.push(name + '=' + encodeURIComponent(day.toISOString()));
  }
  return {query: parts.map(p => '&' + p).join(''), active: parts.length > 0};
}

/** A 400 about a filter, beside its field; false when the error is not about one of them. */
function showFilterError(form, err) {
  const input = {status: 'h-status', since: 'h-from', until: 'h-to'}[err.field];
  if (!input) return false;
  const label = {status: 'Status', since: 'From', until: 'To'}[err.field];
  showError(form, input, label + ': ' + (err.field === 'until' && /later/.test(err.message)
    ? 'must not be before From.' : err.message));
  return true;
}

// ------------------------------------------------------------------ callback health

const CALLBACK_STATES = {
  healthy: ['healthy', 'ok'],
  circuit_open: ['circuit open', 'warn'],
  throttled: ['throttled', 'warn'],
  disabled: ['disabled', 'bad']
};

/** The instance's callback URLs with their health; from the configuration alone for an older answer. */
function callbackStates(instance) {
  if (Array.isArray(instance.callbacks)) return instance.callbacks;
  const c = instance.configuration || {};
  return String(c['event.notification.callback.url'] || '').split(',').map(s => s.trim()).filter(Boolean)
    .map(url => ({url}));
}

/** One line per callback URL: its state, what went wrong, what waits, and Enable for a disabled one. */
function renderCallbacks(box, instanceId, callbacks) {
  // a refresh that changes nothing leaves the buttons in place (no click lost to a redraw)
  const shown = JSON.stringify(callbacks);
  if (box.dataset.shown === shown) return;
  box.dataset.shown = shown;
  clear(box);
  if (!callbacks.length) {
    append(box, '—');
    return;
  }
  append(box, h('ul', {class: 'plain callbacks'}, callbacks.map((cb, i) => {
    const state = CALLBACK_STATES[cb.state];
    const facts = [];
    if (cb.pending !== undefined) facts.push(plural(cb.pending, 'delivery', 'deliveries') + ' pending');
    if (cb.disabledReason) facts.push(['disabled ', when(cb.disabledAt), ': ' + cb.disabledReason]);
    if (cb.circuitOpenUntil) facts.push(['no attempts until ', when(cb.circuitOpenUntil)]);
    if (cb.throttledUntil) facts.push(['asked to wait until ', when(cb.throttledUntil)]);
    if (cb.failingSince) facts.push(['failing since ', when(cb.failingSince)]);
    if (cb.lastError) facts.push('last error: ' + cb.lastError);
    return h('li', {class: 'callback', 'data-url': cb.url, 'data-state': cb.state || ''},
      h('p', null, state ? badge(state[0], state[1]) : null, state ? ' ' : null, h('span', {class: 'url'}, cb.url)),
      facts.length ? h('p', {class: 'meta callback-facts'}, joined(facts, ' · ')) : null,
      cb.state === 'disabled' ? h('button', {type: 'button', class: 'secondary enable-callback',
        id: 'enable-callback-' + i, 'aria-label': 'Enable callback URL ' + cb.url, onclick: async (e) => {
          let answer;
          const ok = await act(e.currentTarget, async () => {
            answer = await api('POST', '/instances/' + encodeURIComponent(instanceId) + '/callbacks/enable',
              {callbackUrl: cb.url});
            return answer;
          }, a => 'Enabled ' + cb.url + (a.released ? ': ' + plural(a.released, 'held delivery', 'held deliveries') +
            ' sent now.' : '.'));
          if (ok && answer && Array.isArray(answer.callbacks)) {
            renderCallbacks(box, instanceId, answer.callbacks);
            // the button is gone: keep the keyboard where it was, on the callback list
            box.focus();
          }
        }}, 'Enable') : null);
  })));
}

// ------------------------------------------------------------------ push (Egnyte webhooks)

// Each push.state of the API: its badge (the word is the state, the colour only repeats it) and what it means.
const PUSH_STATES = {
  pending: ['warn', 'Not registered at Egnyte yet: the bridge keeps trying, and the instance polls meanwhile.'],
  active: ['ok', 'Registered: each push from Egnyte makes the bridge read the events feed at once.'],
  refused: ['bad', 'Egnyte refused the registration: the instance polls on its interval. Register again once the ' +
    'cause is fixed.'],
  expired: ['bad', 'Egnyte no longer knows the webhook and registering it again failed: the instance polls on its ' +
    'interval.'],
  disabled: ['bad', 'Egnyte disabled the webhook and enabling it again failed: the instance polls on its interval.'],
  off: ['muted', 'No webhook is wanted now (events off, instance disabled, or it needs re-authorization).']
};

/** The instance's Egnyte webhook: state, reason, webhook id, expiry, last push, and Register again. */
function renderPush(box, instanceId, push) {
  // a refresh that changes nothing leaves the button in place (no click lost to a redraw)
  const shown = JSON.stringify(push);
  if (box.dataset.shown === shown) return;
  box.dataset.shown = shown;
  const hadFocus = box.contains(document.activeElement);
  clear(box);
  if (hadFocus) box.focus();
  if (!push) {
    box.removeAttribute('data-state');
    append(box, h('p', {class: 'meta', id: 'push-gone'}, 'The instance no longer uses Egnyte\'s webhooks.'));
    return;
  }
  box.dataset.state = push.state;
  const [kind, meaning] = PUSH_STATES[push.state] || ['muted', ''];
  append(box, [
    h('dl', {class: 'facts'},
      h('dt', null, 'State'), h('dd', {id: 'push-state'}, badge(push.state, kind), meaning ? ' ' + meaning : null),
      h('dt', null, 'Reason'), h('dd', {id: 'push-reason'}, push.reason || '—'),
      h('dt', null, 'Webhook id'), h('dd', {id: 'push-webhook-id'},
        push.webhookId ? h('code', null, push.webhookId) : 'none (not registered)'),
      h('dt', null, 'Expires'), h('dd', {id: 'push-expires'}, push.expires ? when(push.expires) : '—'),
      h('dt', null, 'Last push'), h('dd', {id: 'push-last'}, when(push.lastPushAt))),
    h('div', {class: 'actions'},
      h('button', {type: 'button', class: 'secondary', id: 'register-push', onclick: async (e) => {
        let answer;
        const ok = await act(e.currentTarget, async () => {
          answer = await api('POST', '/instances/' + encodeURIComponent(instanceId) + '/push');
          return answer;
        }, a => 'Asked the bridge to look after the Egnyte webhook now. Push state: ' + a.push.state + '.');
        if (ok && answer && answer.push) renderPush(box, instanceId, answer.push);
        // disabled while it ran, the button lost the keyboard focus: it goes back to it (or its redrawn self)
        const again = box.querySelector('#register-push');
        if (again && (!document.activeElement || document.activeElement === document.body)) again.focus();
      }}, 'Register again'))]);
  // the button was redrawn under the keyboard: it stays on it
  if (hadFocus) box.querySelector('#register-push').focus();
}

function eventItem(instanceId, n, open, reload) {
  const kind = {DELIVERED: 'ok', FAILED: 'bad', RETRYING: 'warn', PENDING: 'muted'}[n.status] || 'muted';
  const details = h('details', {'data-event-id': n.eventId, open: open.has(n.eventId)},
    h('summary', null,
      badge(n.status, kind), ' ', when(n.createdDate), ' · ', n.resource, ' · ',
      plural(n.objectCount, 'object'),
      (n.objectIds && n.objectIds.length) ? ' · ids ' + n.objectIds.join(', ') : ''),
    h('p', {class: 'meta'}, 'Event id ', h('code', null, n.eventId)),
    (n.endpoints || []).map(endpoint => h('div', {class: 'endpoint'},
      h('p', null, badge(endpoint.status, {DELIVERED: 'ok', FAILED: 'bad', GONE: 'bad', RETRYING: 'warn'}[endpoint.status]
        || 'muted'), ' ', h('span', {class: 'url'}, endpoint.url), ' · ', plural((endpoint.attempts || []).length, 'attempt'),
        endpoint.nextAttemptDate ? [' · next ', when(endpoint.nextAttemptDate)] : ''),
      endpoint.attempts && endpoint.attempts.length ? h('table', {class: 'attempts'},
        h('caption', {class: 'visually-hidden'}, 'Attempts to ' + endpoint.url),
        h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'When'), h('th', {scope: 'col'}, 'Answer'),
          h('th', {scope: 'col'}, 'Took'))),
        h('tbody', null, endpoint.attempts.map(a => h('tr', null,
          h('td', null, when(a.date)),
          h('td', null, a.httpStatus !== null && a.httpStatus !== undefined ? 'HTTP ' + a.httpStatus : (a.error || 'no answer')),
          h('td', null, a.durationMs + ' ms'))))) : null)));
  const item = h('li', {class: 'event', 'data-event-id': n.eventId, 'data-status': n.status}, details);
  if (n.status === 'FAILED') {
    append(item, h('button', {type: 'button', class: 'retry-event', 'aria-label': 'Retry notification ' + n.eventId,
      onclick: async (e) => {
        await act(e.currentTarget, () => api('POST', '/instances/' + encodeURIComponent(instanceId) + '/events/' +
          encodeURIComponent(n.eventId) + '/retry'), answer => 'Retrying: ' + plural(answer.requeued, 'delivery', 'deliveries') + ' requeued.');
        reload(true);
      }}, 'Retry'));
  }
  return item;
}

/** Runs an API action from a button: disabled while it runs, the outcome in the status line. */
async function act(button, call, success) {
  button.disabled = true;
  try {
    const answer = await call();
    flash(success(answer), 'info');
    return true;
  } catch (err) {
    flash(err.message, 'error');
    return false;
  } finally {
    button.disabled = false;
  }
}
