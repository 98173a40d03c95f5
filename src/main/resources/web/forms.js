// The parts the create and edit forms share: the callback URL list, the signature key field (Generate, Copy), the
// resource editor (fields, live checks with the API's rules and messages, and "Edit as JSON" that round-trips), and
// an API error shown beside the field it concerns.

import {h, append, field, showError, hideError} from './dom.js';

// The seed's configuration of the events resource, pre-filled in the create form.
export const SEED_EVENTS_RESOURCE = {
  url: '/hubs/documents/events',
  idField: 'event_object_id',
  datesConfiguration: {
    updatedDateField: 'event_date',
    updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSX",
    updatedDateTimezone: 'GMT',
    createdDateField: 'event_date',
    createdDateFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSX'",
    createdDateTimezone: 'GMT'
  }
};

// Which input shows an API error, by the error's `field`.
const FIELD_INPUTS = {
  'name': 'f-name',
  'tags': 'f-tags',
  'subdomain': 'f-subdomain',
  'configuration.subdomain': 'f-subdomain',
  'apiKey': 'f-api-key',
  'configuration.oauth.api.key': 'f-api-key',
  'configuration.oauth.api.secret': 'f-api-secret',
  'configuration.event.notification.enabled': 'f-events-enabled',
  'configuration.event.notification.callback.url': 'f-callbacks',
  'configuration.event.notification.signature.key': 'f-signature-key',
  'configuration.event.poller.refresh_interval': 'f-interval',
  'configuration.event.poller.configuration': 'f-resources',
  'configuration.event.vendor.type': 'f-vendor-type',
  'vendorType': 'f-vendor-type'
};
const RESOURCE_FIELD_PREFIX = 'configuration.event.poller.configuration.';

/** Copy: the input's value to the clipboard, or selected for Ctrl+C where the page may not write there. */
export function copyButton(input, id, label, status) {
  return h('button', {type: 'button', class: 'secondary', id, onclick: async () => {
    if (!input.value) {
      status.textContent = 'Nothing to copy.';
      return;
    }
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied.';
    } catch (e) {
      status.textContent = document.execCommand && document.execCommand('copy') ? 'Copied.' : 'Press Ctrl+C to copy.';
    }
  }}, label);
}

/** A Standard Webhooks key: "whsec_" and 32 random bytes in base64, what the standardwebhooks/svix libraries take. */
function newSignatureKey() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return 'whsec_' + btoa(String.fromCharCode(...bytes));
}

/** The signature key field with Generate and Copy next to its input. */
export function signatureKeyField(id, labelText, input, hint) {
  const box = field(id, labelText, input, hint);
  const status = h('span', {class: 'copied', role: 'status', id: id + '-status'});
  const row = h('div', {class: 'copy-row'});
  input.replaceWith(row);
  append(row, [input,
    h('button', {type: 'button', class: 'secondary', id: id + '-generate', onclick: () => {
      input.value = newSignatureKey();
      // shown, so it can be checked and copied into the receiver's configuration
      input.type = 'text';
      status.textContent = 'New key generated: copy it to your receiver before you save.';
      input.dispatchEvent(new Event('input'));
    }}, 'Generate'),
    copyButton(input, id + '-copy', 'Copy', status), status]);
  return box;
}

// event.vendor.type: how Egnyte tells the bridge about events. The API's default, when the key is absent, is polling.
export const VENDOR_TYPES = [['polling', 'Polling (default)'], ['webhooks', 'Egnyte webhooks (push)']];

/** The choice of event.vendor.type, a select with its hint; the error line shows the API's errors on that key. */
export function vendorTypeField(value) {
  const select = h('select', {name: 'event-vendor-type'},
    VENDOR_TYPES.map(([v, label]) => h('option', {value: v}, label)));
  select.value = value === 'webhooks' ? 'webhooks' : 'polling';
  return field('f-vendor-type', 'How Egnyte tells the bridge about events', select,
    'Egnyte pushes ring the doorbell; the bridge still reads the events feed, so nothing is lost. Needs an Egnyte ' +
    'admin and bridge.public-base-url. Use a longer interval, e.g. 60 minutes, as the backstop.');
}

/** Where an API error's field is shown in a form: a named input, a resource's editor, or the form as a whole. */
function inputForField(form, apiField) {
  if (!apiField) return null;
  if (FIELD_INPUTS[apiField]) return FIELD_INPUTS[apiField];
  if (apiField.startsWith(RESOURCE_FIELD_PREFIX)) {
    const rest = apiField.substring(RESOURCE_FIELD_PREFIX.length);
    for (const row of form.querySelectorAll('.resource')) {
      const key = row.querySelector('.resource-key').value.trim();
      if (key && rest === key) return row.querySelector('.resource-json').id;
      if (key && rest.startsWith(key + '.')) return resourceInputFor(row, rest.substring(key.length + 1));
    }
    return 'f-resources';
  }
  return null;
}

export function showApiError(form, error) {
  const target = showError(form, inputForField(form, error.field), error.field
    ? humanField(error.field) + ' ' + error.message : error.message);
  if (target && target.focus) target.focus();
}

function humanField(apiField) {
  const label = {
    'name': 'Name', 'tags': 'Tags', 'subdomain': 'Subdomain', 'configuration.subdomain': 'Subdomain',
    'apiKey': 'API key', 'configuration.oauth.api.key': 'API key', 'configuration.oauth.api.secret': 'API secret',
    'configuration.event.notification.callback.url': 'Callback URL',
    'configuration.event.notification.signature.key': 'Signature key',
    'configuration.event.poller.refresh_interval': 'Refresh interval',
    'configuration.event.notification.enabled': 'Events enabled',
    'configuration.event.vendor.type': 'How Egnyte tells the bridge:',
    'vendorType': 'How Egnyte tells the bridge:'
  }[apiField];
  if (label) return label;
  if (apiField.startsWith(RESOURCE_FIELD_PREFIX)) return 'Resource ' + apiField.substring(RESOURCE_FIELD_PREFIX.length);
  return apiField;
}

export function callbackList(urls) {
  const list = h('ul', {class: 'callback-list', id: 'f-callbacks', tabindex: '-1'});
  const group = h('div', {class: 'field', 'data-field': 'f-callbacks'},
    h('p', {class: 'label', id: 'f-callbacks-label'}, 'Callback URLs'),
    h('p', {class: 'hint', id: 'f-callbacks-hint'}, 'Every notification is POSTed to each of these URLs.'),
    list,
    h('button', {type: 'button', id: 'add-callback', class: 'secondary', onclick: () => addRow('')}, 'Add callback URL'),
    h('p', {class: 'error', id: 'f-callbacks-error', hidden: true}));
  list.setAttribute('aria-labelledby', 'f-callbacks-label');
  let counter = 0;
  function addRow(value) {
    counter++;
    const input = h('input', {type: 'url', class: 'callback-url', id: 'f-callback-' + counter, value,
      placeholder: 'https://example.com/egnyte-events', autocomplete: 'off',
      'aria-describedby': 'f-callbacks-hint f-callbacks-error'});
    const row = h('li', null,
      h('label', {for: input.id, class: 'visually-hidden'}, 'Callback URL ' + counter),
      input,
      h('button', {type: 'button', class: 'secondary remove-callback', 'aria-label': 'Remove callback URL ' + counter,
        onclick: () => {
          if (list.children.length > 1) {
            row.remove();
            list.querySelector('input').focus();
          } else {
            input.value = '';
          }
        }}, 'Remove'));
    list.appendChild(row);
    if (value === '' && counter > 1) input.focus();
  }
  (urls.length ? urls : ['']).forEach(addRow);
  group.values = () => Array.from(list.querySelectorAll('input')).map(i => i.value.trim()).filter(Boolean);
  return group;
}

const EVENTS_URL = '/hubs/documents/events';
// Formats Egnyte's answers use, offered as presets; any java.time pattern (or "milliseconds", "seconds") is accepted.
const DATE_FORMATS = [
  ["yyyy-MM-dd'T'HH:mm:ss.SSSX", 'ISO 8601 with milliseconds (Events API event_date)'],
  ["yyyy-MM-dd'T'HH:mm:ssX", 'ISO 8601'],
  ['EEE, dd MMM yyyy HH:mm:ss zzz', 'RFC 1123 (file last_modified)'],
  ['milliseconds', 'epoch milliseconds'],
  ['seconds', 'epoch seconds']
];
const TIMEZONES = ['GMT', 'UTC', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London',
  'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney'];

/** The events feed's query (folder, type, suppress) and the url it makes; other query parameters are kept. */
function eventsQuery(url) {
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.substring(q + 1));
}

/**
 * The same rules and messages as the API (PollingConfiguration) for what can be checked without Egnyte: the
 * server still checks the date patterns and time zones and answers next to the field.
 */
function resourceProblems(config) {
  const problems = [];
  const url = typeof config.url === 'string' ? config.url.trim() : '';
  const path = url.split('?')[0];
  if (!url) problems.push(['url', 'is required']);
  else if (!path.startsWith('/')) problems.push(['url', 'must be a path such as /hubs/documents/events or /pubapi/v1/...']);
  else if (path !== EVENTS_URL && !path.startsWith('/pubapi/')) {
    problems.push(['url', 'must be ' + EVENTS_URL + ' or an Egnyte /pubapi/ path']);
  }
  // the events feed has a default id field (event_object_id); any other resource must name one
  if (path !== EVENTS_URL && (typeof config.idField !== 'string' || !config.idField.trim())) {
    problems.push(['idField', 'is required']);
  }
  return problems;
}

export function resourceEditor(resources) {
  const list = h('div', {class: 'resource-list'});
  const group = h('fieldset', {class: 'field resources', id: 'f-resources', tabindex: '-1'},
    h('legend', null, 'Resources to poll'),
    h('p', {class: 'hint'}, 'The Egnyte events feed reads Egnyte\'s Events API by cursor. Another resource is an ' +
      'Egnyte /pubapi/ path read for the date window since the last poll. "Edit as JSON" shows the same ' +
      'configuration as the API takes it.'),
    list,
    h('button', {type: 'button', id: 'add-resource', class: 'secondary', onclick: () => {
      const first = list.querySelector('.resource');
      const copy = first ? JSON.parse(JSON.stringify(first.config())) : SEED_EVENTS_RESOURCE;
      const row = addRow(freeKey(), copy, true);
      row.querySelector('.resource-key').focus();
    }}, 'Add resource'),
    h('p', {class: 'error', id: 'f-resources-error', hidden: true}));
  const formatList = h('datalist', {id: 'date-formats'}, DATE_FORMATS.map(([v, label]) => h('option', {value: v}, label)));
  const zoneList = h('datalist', {id: 'time-zones'}, TIMEZONES.map(z => h('option', {value: z})));
  append(group, [formatList, zoneList]);
  let counter = 0;
  function freeKey() {
    const used = new Set(Array.from(list.querySelectorAll('.resource-key')).map(i => i.value.trim()));
    let n = 2;
    while (used.has('resource' + n)) n++;
    return 'resource' + n;
  }
  function addRow(key, initial, ticked) {
    counter++;
    const n = counter;
    const id = name => 'f-resource-' + n + '-' + name;
    // the row's configuration: the fields edit their keys in it, so keys without a field survive a round trip
    let config = JSON.parse(JSON.stringify(initial || {}));
    const keyInput = h('input', {type: 'text', class: 'resource-key', value: key, autocomplete: 'off'});
    const source = h('select', {class: 'resource-source'},
      h('option', {value: 'events'}, 'Egnyte events feed (' + EVENTS_URL + ')'),
      h('option', {value: 'path'}, 'Another Egnyte /pubapi/ path'));
    const folder = h('input', {type: 'text', class: 'resource-folder', autocomplete: 'off', spellcheck: 'false',
      placeholder: '/Shared/Projects'});
    const type = h('select', {class: 'resource-type'}, h('option', {value: ''}, 'All'),
      h('option', {value: 'file_system'}, 'Files and folders (file_system)'), h('option', {value: 'note'}, 'Comments (note)'));
    const suppress = h('select', {class: 'resource-suppress'}, h('option', {value: ''}, 'Nothing'),
      h('option', {value: 'app'}, 'Changes made by this app (app)'), h('option', {value: 'user'}, 'Changes made by the authorizing user (user)'));
    const url = h('input', {type: 'text', class: 'resource-url', autocomplete: 'off', spellcheck: 'false',
      placeholder: '/pubapi/v1/fs/Shared/Projects'});
    const itemsPath = h('input', {type: 'text', class: 'resource-items-path', autocomplete: 'off', spellcheck: 'false'});
    const idField = h('input', {type: 'text', class: 'resource-id-field', autocomplete: 'off', spellcheck: 'false'});
    const dateInputs = {};
    const dateGroup = which => {
      const label = which === 'updated' ? 'Updated date' : 'Created date';
      const f = dateInputs[which] = {
        field: h('input', {type: 'text', class: 'resource-' + which + '-field', autocomplete: 'off', spellcheck: 'false'}),
        format: h('input', {type: 'text', class: 'resource-' + which + '-format', list: 'date-formats',
          autocomplete: 'off', spellcheck: 'false'}),
        zone: h('input', {type: 'text', class: 'resource-' + which + '-timezone', list: 'time-zones',
          autocomplete: 'off', spellcheck: 'false'})
      };
      return h('fieldset', {class: 'date-fields'}, h('legend', null, label),
        field(id(which + '-field'), 'Field', f.field, 'Dotted path in each item, e.g. event_date.'),
        field(id(which + '-format'), 'Format', f.format, 'Pick a preset or type a java.time pattern.'),
        field(id(which + '-timezone'), 'Time zone', f.zone, 'For dates without an offset, e.g. GMT.'));
    };
    const json = h('textarea', {class: 'resource-json', rows: '9', spellcheck: 'false'});
    const poll = h('input', {type: 'checkbox', class: 'resource-poll', id: id('poll'), checked: ticked});
    const eventsBox = h('div', {class: 'resource-events'},
      field(id('folder'), 'Folder (optional)', folder, 'Only events under this folder.'),
      field(id('type'), 'Event types', type),
      field(id('suppress'), 'Leave out', suppress, 'Egnyte\'s suppress filter.'));
    const pathBox = h('div', {class: 'resource-path'},
      field(id('url'), 'Path', url, 'With query parameters if needed; {date} placeholders as in the API.'),
      field(id('items-path'), 'Items path (optional)', itemsPath, 'Dotted path to the array of items.'));
    const advanced = h('details', {class: 'advanced'}, h('summary', null, 'Edit as JSON'),
      field(id('json'), 'Configuration (JSON)', json, 'Changes here show in the fields above, and the other way round.'));
    const row = h('div', {class: 'resource', 'data-resource': String(n)},
      h('div', {class: 'resource-head'},
        poll, h('label', {for: poll.id}, 'Poll this resource'),
        h('button', {type: 'button', class: 'secondary', 'aria-label': 'Remove resource ' + n, onclick: () => {
          row.remove();
          group.focus();
        }}, 'Remove')),
      field(id('key'), 'Resource name', keyInput, 'Also the notification\'s objectType.'),
      field(id('source'), 'Source', source),
      eventsBox, pathBox,
      field(id('id-field'), 'Id field', idField, 'Dotted path to each item\'s id, e.g. event_object_id.'),
      dateGroup('updated'), dateGroup('created'),
      advanced);

    const text = v => (typeof v === 'string' ? v : '');
    /** The fields from the configuration. */
    function showFields() {
      const u = text(config.url);
      const isEvents = u.split('?')[0] === EVENTS_URL;
      source.value = isEvents ? 'events' : 'path';
      eventsBox.hidden = !isEvents;
      pathBox.hidden = isEvents;
      const q = eventsQuery(u);
      folder.value = isEvents ? (q.get('folder') || '') : '';
      type.value = isEvents ? (q.get('type') || '') : '';
      suppress.value = isEvents ? (q.get('suppress') || '') : '';
      url.value = isEvents ? '' : u;
      itemsPath.value = text(config.itemsPath);
      idField.value = text(config.idField);
      const d = config.datesConfiguration && typeof config.datesConfiguration === 'object' ? config.datesConfiguration : {};
      for (const which of ['updated', 'created']) {
        dateInputs[which].field.value = text(d[which + 'DateField']);
        dateInputs[which].format.value = text(d[which + 'DateFormat']);
        dateInputs[which].zone.value = text(d[which + 'DateTimezone']);
      }
    }
    function setOrDrop(target, name, value) {
      if (value) target[name] = value; else delete target[name];
    }
    /** The configuration from the fields, keeping keys that have no field. */
    function readFields() {
      if (source.value === 'events') {
        const q = eventsQuery(text(config.url).split('?')[0] === EVENTS_URL ? text(config.url) : '');
        for (const [name, input] of [['folder', folder], ['type', type], ['suppress', suppress]]) {
          if (input.value.trim()) q.set(name, input.value.trim()); else q.delete(name);
        }
        const query = q.toString().replace(/%2F/gi, '/');
        config.url = EVENTS_URL + (query ? '?' + query : '');
      } else {
        config.url = url.value.trim();
      }
      setOrDrop(config, 'itemsPath', itemsPath.value.trim());
      setOrDrop(config, 'idField', idField.value.trim());
      const d = config.datesConfiguration && typeof config.datesConfiguration === 'object' ? config.datesConfiguration : {};
      for (const which of ['updated', 'created']) {
        setOrDrop(d, which + 'DateField', dateInputs[which].field.value.trim());
        // a format is taken as typed: the seed's own format ends in a quote that must survive
        setOrDrop(d, which + 'DateFormat', dateInputs[which].format.value);
        setOrDrop(d, which + 'DateTimezone', dateInputs[which].zone.value.trim());
      }
      if (Object.keys(d).length) config.datesConfiguration = d; else delete config.datesConfiguration;
    }
    function showJson() {
      json.value = JSON.stringify(config, null, 2);
      json.removeAttribute('aria-invalid');
      hideError(id('json'));
    }
    /** Live checks, as the API words them, next to the field concerned. */
    function check() {
      ['url', 'id-field', 'updated-format', 'created-format'].forEach(name => hideError(id(name)));
      for (const [key, message] of resourceProblems(config)) {
        const input = {url: source.value === 'events' ? null : id('url'), idField: id('id-field'),
          updatedDateFormat: id('updated-format'), createdDateFormat: id('created-format')}[key];
        if (input) showError(document, input, key + ' ' + message);
      }
    }
    [keyInput, folder, url, itemsPath, idField].concat(Object.values(dateInputs).flatMap(f => [f.field, f.format, f.zone]))
      .forEach(input => input.addEventListener('input', () => { readFields(); showJson(); check(); }));
    [type, suppress].forEach(input => input.addEventListener('change', () => { readFields(); showJson(); check(); }));
    source.addEventListener('change', () => {
      if (source.value === 'events') {
        config.url = EVENTS_URL;
      } else {
        config.url = text(config.url).split('?')[0] === EVENTS_URL ? '' : text(config.url);
      }
      showFields();
      showJson();
      check();
    });
    json.addEventListener('input', () => {
      try {
        const parsed = JSON.parse(json.value);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        config = parsed;
        json.removeAttribute('aria-invalid');
        hideError(id('json'));
        showFields();
        check();
      } catch (e) {
        showError(document, id('json'), 'Must be a JSON object such as {"url": "...", "idField": "..."}.');
      }
    });
    row.config = () => config;
    row.jsonValid = () => json.getAttribute('aria-invalid') !== 'true';
    row.showAdvanced = () => { advanced.open = true; };
    showFields();
    showJson();
    list.appendChild(row);
    return row;
  }
  const entries = Object.entries(resources);
  if (entries.length === 0) entries.push(['events', SEED_EVENTS_RESOURCE]);
  entries.forEach(([key, config]) => addRow(key, config, true));
  /** The ticked resources as {key: config}, or reports what is wrong next to the resource and returns null. */
  group.values = (form) => {
    const result = {};
    let ok = true;
    list.querySelectorAll('.resource').forEach(row => {
      if (!row.querySelector('.resource-poll').checked) return;
      const keyInput = row.querySelector('.resource-key');
      const key = keyInput.value.trim();
      if (!key) {
        showError(form, keyInput.id, 'Give the resource a name.');
        ok = false;
        return;
      }
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        showError(form, keyInput.id, 'Another resource has this name.');
        ok = false;
        return;
      }
      if (!row.jsonValid()) {
        row.showAdvanced();
        showError(form, row.querySelector('.resource-json').id,
          'Must be a JSON object such as {"url": "...", "idField": "..."}.');
        ok = false;
        return;
      }
      const problems = resourceProblems(row.config());
      if (problems.length) {
        const [field, message] = problems[0];
        showError(form, resourceInputFor(row, field), field + ' ' + message);
        ok = false;
        return;
      }
      result[key] = row.config();
    });
    if (ok && Object.keys(result).length === 0) {
      showError(form, 'f-resources', 'Tick at least one resource to poll.');
      ok = false;
    }
    return ok ? result : null;
  };
  return group;
}

/** The input in a resource row that shows an error about one of its configuration keys (the JSON when none does). */
function resourceInputFor(row, apiKey) {
  const path = apiKey.split('.');
  const last = path[path.length - 1];
  const source = row.querySelector('.resource-source');
  const byKey = {
    url: source.value === 'events' ? '.resource-source' : '.resource-url',
    idField: '.resource-id-field', itemsPath: '.resource-items-path',
    updatedDateField: '.resource-updated-field', updatedDateFormat: '.resource-updated-format',
    updatedDateTimezone: '.resource-updated-timezone', createdDateField: '.resource-created-field',
    createdDateFormat: '.resource-created-format', createdDateTimezone: '.resource-created-timezone'
  }[last];
  if (byKey) return row.querySelector(byKey).id;
  row.showAdvanced();
  return row.querySelector('.resource-json').id;
}

export function splitTags(text) {
  return text.split(',').map(t => t.trim()).filter(Boolean);
}

export function positiveNumber(text) {
  const n = Number(String(text).trim());
  return String(text).trim() !== '' && isFinite(n) && n > 0;
}
