// How an instance is doing, in the list and in the instance view alike: its badges (authorized, events on or
// paused, poller disabled, callback URLs failing, paused by Egnyte) and its last poll line.

import {h, badge, when, joined, plural} from './dom.js';

export function pausedByEgnyte(poller) {
  return !!poller.pausedUntil && new Date(poller.pausedUntil) > new Date();
}

export function statusBadges(instance) {
  const poller = instance.poller || {};
  const paused = pausedByEgnyte(poller);
  return h('p', {class: 'badges'},
    instance.valid ? badge('authorized', 'ok') : badge('needs re-authorization', 'bad'),
    instance.eventsEnabled ? badge('events on', 'ok') : badge('events off (paused)', 'muted'),
    poller.disabled ? badge('poller disabled after failures', 'bad') : null,
    callbackBadge(instance.callbacks),
    paused ? badge(['paused by Egnyte until ', when(poller.pausedUntil)], 'warn') : null);
}

/** In the list: how many callback URLs are disabled or held back, if any. */
function callbackBadge(callbacks) {
  const list = Array.isArray(callbacks) ? callbacks : [];
  const disabled = list.filter(cb => cb.state === 'disabled').length;
  const held = list.filter(cb => cb.state === 'circuit_open' || cb.state === 'throttled').length;
  if (disabled) return badge(plural(disabled, 'callback URL') + ' disabled', 'bad');
  if (held) return badge(plural(held, 'callback URL') + ' failing', 'warn');
  return null;
}

export function pollLine(poller, label) {
  poller = poller || {};
  const parts = [[label === false ? '' : 'last poll: ', when(poller.lastPollDate)]];
  if (poller.lastPollStatus) parts.push(poller.lastPollStatus);
  if (poller.consecutiveFailures) parts.push(poller.consecutiveFailures + ' failures in a row');
  if (poller.lastPollError) parts.push('error: ' + poller.lastPollError);
  const cursors = Object.entries(poller.cursors || {});
  if (cursors.length) parts.push('cursor ' + cursors.map(([resource, at]) => resource + ' ' + at).join(', '));
  return joined(parts, ' · ');
}
