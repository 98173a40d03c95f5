// The instance list: every instance with its state and badges, a summary line of how many are in each state,
// search by name or tag, a state filter and a sort (kept while the page is open), and each instance's recent
// deliveries, read once the list is on screen.

import {h, show, field, plural} from './dom.js';
import {api} from './api.js';
import {isCurrent} from './view.js';
import {pausedByEgnyte, statusBadges, pollLine} from './status.js';

// The list's search, state filter and sort outlive a refresh or a visit to an instance.
const listView = {query: '', state: 'all', sort: 'newest'};

const INSTANCE_STATES = {
  ok: 'OK', failing: 'failing', paused: 'paused', disabled: 'disabled', reauthorize: 'needs re-authorization'
};

/** One state per instance, the most pressing first: what the user has to act on comes before what only waits. */
function instanceState(instance) {
  const poller = instance.poller || {};
  const callbacks = Array.isArray(instance.callbacks) ? instance.callbacks : [];
  if (!instance.valid) return 'reauthorize';
  if (poller.disabled) return 'disabled';
  if (!instance.eventsEnabled || pausedByEgnyte(poller)) return 'paused';
  if (poller.consecutiveFailures > 0 || callbacks.some(cb => cb.state && cb.state !== 'healthy')) return 'failing';
  return 'ok';
}

const LIST_SORTS = {
  newest: ['Newest first', (a, b) => b.id - a.id],
  name: ['Name (A to Z)', (a, b) => a.name.localeCompare(b.name) || b.id - a.id],
  'last-poll': ['Most recently polled', (a, b) => pollTime(b) - pollTime(a) || b.id - a.id],
  state: ['Needing attention first', (a, b) => STATE_ORDER.indexOf(instanceState(a)) -
    STATE_ORDER.indexOf(instanceState(b)) || b.id - a.id]
};
const STATE_ORDER = ['reauthorize', 'disabled', 'failing', 'paused', 'ok'];

function pollTime(instance) {
  const at = instance.poller && instance.poller.lastPollDate;
  return at ? new Date(at).getTime() : 0;
}

function matchesSearch(instance, query) {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return instance.name.toLowerCase().includes(q) || instance.tags.some(t => t.toLowerCase().includes(q));
}

export async function renderList(token) {
  const instances = await api('GET', '/instances');
  if (!isCurrent(token)) return;
  const list = h('ul', {class: 'instance-list', id: 'instance-list'});
  const rows = instances.map(instance => {
    const deliveries = h('span', {class: 'deliveries'}, 'deliveries: …');
    const item = h('li', {class: 'instance card', 'data-instance-id': String(instance.id),
      'data-state': instanceState(instance)},
      h('h2', null, h('a', {href: '#/instances/' + encodeURIComponent(instance.id)}, instance.name)),
      h('p', {class: 'meta'}, '#' + instance.id + ' · ' + (instance.configuration.subdomain || '') +
        (instance.tags.length ? ' · ' + instance.tags.join(', ') : '')),
      statusBadges(instance),
      h('p', {class: 'poll-line'}, pollLine(instance.poller)),
      h('p', {class: 'poll-line'}, deliveries));
    return {instance, item, deliveries, state: item.dataset.state};
  });
  const counts = {};
  rows.forEach(({state}) => { counts[state] = (counts[state] || 0) + 1; });
  const summary = h('p', {class: 'summary', id: 'list-summary'}, plural(instances.length, 'instance') + ': ' +
    Object.keys(INSTANCE_STATES).map(k => (counts[k] || 0) + ' ' + INSTANCE_STATES[k]).join(' · '));
  const shownCount = h('p', {class: 'meta', id: 'list-count', role: 'status', 'aria-live': 'polite'});
  const search = h('input', {type: 'search', id: 'f-search', value: listView.query, autocomplete: 'off',
    placeholder: 'name or tag'});
  const stateFilter = h('select', {id: 'f-state'},
    h('option', {value: 'all'}, 'All states'),
    Object.entries(INSTANCE_STATES).map(([k, label]) => h('option', {value: k}, label + ' (' + (counts[k] || 0) + ')')));
  stateFilter.value = listView.state;
  const sort = h('select', {id: 'f-sort'},
    Object.entries(LIST_SORTS).map(([k, [label]]) => h('option', {value: k}, label)));
  sort.value = listView.sort;
  const empty = h('p', {class: 'empty', id: 'no-match', hidden: true}, 'No instance matches.');
  function apply() {
    listView.query = search.value;
    listView.state = stateFilter.value;
    listView.sort = sort.value;
    const ordered = rows.slice().sort((a, b) => LIST_SORTS[listView.sort][1](a.instance, b.instance));
    let shown = 0;
    ordered.forEach(({instance, item, state}) => {
      const visible = matchesSearch(instance, listView.query) && (listView.state === 'all' || state === listView.state);
      item.hidden = !visible;
      if (visible) shown++;
      list.appendChild(item);
    });
    empty.hidden = shown > 0;
    shownCount.textContent = shown === rows.length ? '' : 'Showing ' + shown + ' of ' + rows.length + '.';
  }
  search.addEventListener('input', apply);
  stateFilter.addEventListener('change', apply);
  sort.addEventListener('change', apply);
  apply();
  show(h('div', {class: 'title-row'}, h('h1', null, 'Instances'),
      h('a', {href: '#/new', class: 'button', id: 'new-instance'}, 'New instance')),
    instances.length ? [summary,
      h('div', {class: 'toolbar', role: 'search', 'aria-label': 'Instances'},
        field('f-search', 'Search', search),
        field('f-state', 'State', stateFilter),
        field('f-sort', 'Sort', sort)),
      shownCount, list, empty]
      : h('p', {class: 'empty', id: 'no-instances'}, 'No instances yet. Create one to start polling Egnyte.'));
  // the delivery counts come from each instance's recent history: fetched after the list is on screen
  rows.forEach(async ({instance, deliveries}) => {
    try {
      const events = await api('GET', '/instances/' + encodeURIComponent(instance.id) + '/events?page=1&pageSize=100');
      const count = s => events.filter(e => e.status === s).length;
      deliveries.textContent = 'recent notifications: ' + count('PENDING') + ' pending, ' + count('RETRYING') +
        ' retrying, ' + count('FAILED') + ' failed';
      if (count('FAILED') > 0) deliveries.classList.add('bad');
    } catch (e) {
      deliveries.textContent = 'delivery history unavailable';
    }
  });
}
