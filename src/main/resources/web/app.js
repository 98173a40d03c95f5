// Egnyte Events Bridge: the instance setup page. Plain JavaScript, no build step, no third-party code.
// Everything shown is built with DOM nodes and textContent (never innerHTML), so no value from the API or the
// address bar can become markup. The secrets live in this tab's sessionStorage only and travel in the
// Authorization header, never in a URL or a cookie.
'use strict';

(function () {
  const AUTH_KEY = 'bridge.auth';
  const PENDING_KEY = 'bridge.pendingInstance';
  const HISTORY_PAGE_SIZE = 20;
  const REFRESH_MS = 5000;

  // The seed's configuration of the events resource, pre-filled in the create form.
  const SEED_EVENTS_RESOURCE = {
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
    'configuration.event.poller.configuration': 'f-resources'
  };
  const RESOURCE_FIELD_PREFIX = 'configuration.event.poller.configuration.';

  const main = document.getElementById('main');
  const flashBox = document.getElementById('flash');
  const nav = document.getElementById('nav');
  let refreshTimer = null;
  let renderToken = 0; // a view started later wins over an earlier one still loading

  // ------------------------------------------------------------------ DOM helpers

  /** h('p', {class: 'x'}, 'text', node): an element; strings become text nodes, never markup. */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [name, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === 'onclick' || name === 'onsubmit' || name === 'onchange' || name === 'oninput') {
          el.addEventListener(name.substring(2), value);
        } else if (name === 'text') {
          el.textContent = value;
        } else if (name === 'value') {
          el.value = value;
        } else if (name === 'checked') {
          el.checked = !!value;
        } else {
          el.setAttribute(name, value === true ? '' : String(value));
        }
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(c => append(el, c));
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function show(...nodes) {
    clear(main);
    nodes.forEach(n => append(main, n));
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({preventScroll: true});
    }
  }

  // a message outlives the view change its action causes (delete, then the list), and goes at the one after
  let flashViews = 0;

  function flash(message, kind) {
    clear(flashBox);
    flashViews = message ? 1 : 0;
    if (!message) return;
    flashBox.className = 'flash ' + (kind || 'info');
    append(flashBox, h('p', null, message));
  }

  function badge(text, kind) {
    return h('span', {class: 'badge ' + kind}, text);
  }

  /** A time as "3 min ago" (or "in 5 min"), the exact local time on hover; kept current by refreshTimes. */
  function when(iso) {
    if (!iso) return 'never';
    const d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return h('time', {datetime: iso, title: d.toLocaleString(), 'data-relative': true}, relative(d));
  }

  function relative(date) {
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const ahead = seconds > 0;
    const s = Math.abs(seconds);
    if (s < 45) return ahead ? 'in a few seconds' : 'just now';
    if (s >= 30 * 86400) return date.toLocaleDateString();
    const [n, unit] = s < 3600 ? [Math.round(s / 60), 'min'] : s < 86400 ? [Math.round(s / 3600), 'h']
      : [Math.round(s / 86400), 'day'];
    const text = n + ' ' + (unit === 'day' && n !== 1 ? 'days' : unit);
    return ahead ? 'in ' + text : text + ' ago';
  }

  function refreshTimes() {
    document.querySelectorAll('time[data-relative]').forEach(t => {
      t.textContent = relative(new Date(t.getAttribute('datetime')));
    });
  }

  /** Parts (strings or nodes, empty ones left out) with a separator between them. */
  function joined(parts, separator) {
    const result = [];
    parts.filter(p => p !== null && p !== undefined && p !== '').forEach((p, i) => {
      if (i > 0) result.push(separator);
      result.push(p);
    });
    return result;
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : (many || one + 's'));
  }

  function stopRefresh() {
    if (refreshTimer) {
      clearInterval(refreshTimer);
      refreshTimer = null;
    }
  }

  // ------------------------------------------------------------------ credentials and API calls

  function auth() {
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

  class ApiError extends Error {
    constructor(status, message, field) {
      super(message);
      this.status = status;
      this.field = field || null;
    }
  }

  /** Calls the API; the answer's JSON. When given, meta.total receives the X-Total-Count header (a number or null). */
  async function api(method, path, body, credentials, meta) {
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
        signOut('Your session was not accepted any more: sign in again.');
      }
      throw new ApiError(response.status, message, json && typeof json.field === 'string' ? json.field : null);
    }
    if (meta) {
      const total = response.headers.get('X-Total-Count');
      meta.total = total === null || isNaN(Number(total)) ? null : Number(total);
    }
    return json;
  }

  function signOut(message) {
    sessionStorage.removeItem(AUTH_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    stopRefresh();
    nav.hidden = true;
    if (location.hash !== '#/') {
      history.replaceState(null, '', location.pathname + '#/');
    }
    renderSignIn();
    if (message) flash(message, 'error');
  }

  // ------------------------------------------------------------------ form helpers

  function field(id, labelText, input, hint) {
    input.id = id;
    const hintId = hint ? id + '-hint' : null;
    const described = [hintId, id + '-error'].filter(Boolean).join(' ');
    input.setAttribute('aria-describedby', described);
    return h('div', {class: 'field', 'data-field': id},
      h('label', {for: id}, labelText),
      hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
      input,
      h('p', {class: 'error', id: id + '-error', hidden: true}));
  }

  /** Copy: the input's value to the clipboard, or selected for Ctrl+C where the page may not write there. */
  function copyButton(input, id, label, status) {
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
  function signatureKeyField(id, labelText, input, hint) {
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

  function clearErrors(form) {
    form.querySelectorAll('.error').forEach(p => {
      p.hidden = true;
      clear(p);
    });
    form.querySelectorAll('[aria-invalid]').forEach(i => i.removeAttribute('aria-invalid'));
    const general = form.querySelector('.form-error');
    if (general) {
      general.hidden = true;
      clear(general);
    }
  }

  /** Shows the message next to the input with this id in form (or the page), else on the form's general error line. */
  function showError(form, inputId, message) {
    const box = inputId ? form.querySelector('#' + CSS.escape(inputId + '-error')) : null;
    if (!box) {
      const general = form.querySelector('.form-error');
      general.hidden = false;
      append(general, h('span', null, message));
      return general;
    }
    box.hidden = false;
    clear(box);
    append(box, message);
    const input = form.querySelector('#' + CSS.escape(inputId));
    if (input) input.setAttribute('aria-invalid', 'true');
    // an error inside a closed "Edit as JSON" must be seen and focusable
    const closed = box.closest('details:not([open])');
    if (closed) closed.open = true;
    return input || box;
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

  function showApiError(form, error) {
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
      'configuration.event.notification.enabled': 'Events enabled'
    }[apiField];
    if (label) return label;
    if (apiField.startsWith(RESOURCE_FIELD_PREFIX)) return 'Resource ' + apiField.substring(RESOURCE_FIELD_PREFIX.length);
    return apiField;
  }

  function callbackList(urls) {
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

  function resourceEditor(resources) {
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

  function hideError(inputId) {
    const input = document.getElementById(inputId);
    const error = document.getElementById(inputId + '-error');
    if (input) input.removeAttribute('aria-invalid');
    if (error) {
      error.textContent = '';
      error.hidden = true;
    }
  }

  function focusFirstError(form) {
    const bad = form.querySelector('[aria-invalid="true"]') || form.querySelector('.error:not([hidden])');
    if (bad && bad.focus) bad.focus();
  }

  function splitTags(text) {
    return text.split(',').map(t => t.trim()).filter(Boolean);
  }

  function positiveNumber(text) {
    const n = Number(String(text).trim());
    return String(text).trim() !== '' && isFinite(n) && n > 0;
  }

  function randomState() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  /** The URL Egnyte sends the user back to: this page, without query or fragment. */
  function returnUrl() {
    return location.origin + location.pathname;
  }

  // ------------------------------------------------------------------ sign in

  function renderSignIn() {
    stopRefresh();
    nav.hidden = true;
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
      sessionStorage.setItem(AUTH_KEY, JSON.stringify(credentials));
      flash('');
      route();
    });
    show(h('h1', null, 'Sign in'), form);
  }

  // ------------------------------------------------------------------ instance list

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

  async function renderList(token) {
    const instances = await api('GET', '/instances');
    if (token !== renderToken) return;
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

  function pausedByEgnyte(poller) {
    return !!poller.pausedUntil && new Date(poller.pausedUntil) > new Date();
  }

  function statusBadges(instance) {
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

  function pollLine(poller, label) {
    poller = poller || {};
    const parts = [[label === false ? '' : 'last poll: ', when(poller.lastPollDate)]];
    if (poller.lastPollStatus) parts.push(poller.lastPollStatus);
    if (poller.consecutiveFailures) parts.push(poller.consecutiveFailures + ' failures in a row');
    if (poller.lastPollError) parts.push('error: ' + poller.lastPollError);
    const cursors = Object.entries(poller.cursors || {});
    if (cursors.length) parts.push('cursor ' + cursors.map(([resource, at]) => resource + ' ' + at).join(', '));
    return joined(parts, ' · ');
  }

  // ------------------------------------------------------------------ create

  function renderCreate(saved, errorToShow) {
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
      field('f-interval', 'Refresh interval (minutes)', interval, 'Egnyte recommends 5 minutes or more.'),
      callbacks,
      signatureKeyField('f-signature-key', 'Signature key (optional)', signatureKey,
        'With a key, every notification is signed (HMAC-SHA256, Standard Webhooks) so your endpoint can check it came ' +
        'from the bridge. Generate makes a whsec_ key, which the Standard Webhooks libraries accept.'),
      resources,
      h('div', {class: 'actions'},
        h('button', {type: 'submit', id: 'create-instance'}, 'Create Instance'),
        h('button', {type: 'button', class: 'secondary', id: 'discard', onclick: () => {
          sessionStorage.removeItem(PENDING_KEY);
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
        resources: resources.values(form)
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
      sessionStorage.setItem(PENDING_KEY, JSON.stringify({state, callbackUrl, form: pendingForm}));
      location.assign(target.href);
    });
    show(h('h1', null, 'New instance'), form);
    if (errorToShow) showApiError(form, errorToShow);
  }

  function pendingCreation() {
    try {
      return JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
    } catch (e) {
      return null;
    }
  }

  /** Egnyte sent the user back here with ?code=&state= (or ?error=): finish creating the instance. */
  async function finishAuthorization(params) {
    // the code must not stay in the address bar, the history or a bookmark
    history.replaceState(null, '', location.pathname + '#/new');
    const pending = pendingCreation();
    if (!pending) {
      flash('Egnyte sent you back, but no new instance was waiting in this tab: fill in the form again.', 'error');
      renderCreate();
      return;
    }
    if (params.get('state') !== pending.state) {
      sessionStorage.removeItem(PENDING_KEY);
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
    sessionStorage.removeItem(PENDING_KEY);
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

  // ------------------------------------------------------------------ detail

  async function renderDetail(id, token, page) {
    const instance = await api('GET', '/instances/' + encodeURIComponent(id));
    if (token !== renderToken) return;
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
    show(h('div', {class: 'title-row'}, h('h1', null, instance.name)),
      h('div', {class: 'card'},
        statusBadges(instance),
        h('dl', {class: 'facts'},
          h('dt', null, 'Id'), h('dd', {id: 'instance-id'}, String(instance.id)),
          h('dt', null, 'Subdomain'), h('dd', null, c.subdomain || ''),
          h('dt', null, 'Tags'), h('dd', null, instance.tags.join(', ') || '—'),
          h('dt', null, 'Created'), h('dd', null, when(instance.createdDate)),
          h('dt', null, 'Events'), h('dd', {id: 'events-state'}, instance.eventsEnabled ? 'on' : 'off (paused)'),
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
      activity,
      history);

    let currentPage = page || 1;
    const open = new Set();

    async function loadActivity() {
      const box = document.getElementById('activity-chart');
      if (!box || token !== renderToken) return;
      let hours;
      try {
        hours = await api('GET', '/instances/' + encodeURIComponent(id) + '/activity?hours=24');
      } catch (err) {
        clear(box);
        append(box, h('p', {class: 'bad'}, 'The last 24 hours could not be read: ' + err.message));
        return;
      }
      if (token === renderToken) renderActivity(box, hours);
    }

    async function loadHistory(force) {
      const box = document.getElementById('history-list');
      if (!box || token !== renderToken) return stopRefresh();
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
      if (token !== renderToken) return;
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
          if (line && token === renderToken) {
            clear(line);
            append(line, pollLine(latest.poller, false));
          }
          // so does each callback URL's health, unless the keyboard is on it
          const box = document.getElementById('callback-health');
          if (box && token === renderToken && !box.contains(document.activeElement)) {
            renderCallbacks(box, id, callbackStates(latest));
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
    stopRefresh();
    refreshTimer = setInterval(() => loadHistory(false), REFRESH_MS);
  }

  // ------------------------------------------------------------------ history filters

  const HISTORY_STATUSES = [['', 'All statuses'], ['FAILED', 'Failed'], ['FAILED,RETRYING', 'Failed or retrying'],
    ['RETRYING', 'Retrying'], ['PENDING', 'Pending'], ['DELIVERED', 'Delivered']];

  /** The event history's filters: status and a range of days (in local time, both days included). */
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

  // ------------------------------------------------------------------ 24-hour chart

  const SVG = 'http://www.w3.org/2000/svg';

  function svgEl(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function hourLabel(iso) {
    return new Date(iso).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
  }

  /**
   * The hours as bars, delivered solid and failed hatched side by side (told apart by pattern and place, not only by
   * colour), with a legend, a one-line summary and the numbers as a table for screen readers and for the curious.
   */
  function renderActivity(box, hours) {
    const shown = JSON.stringify(hours);
    if (box.dataset.shown === shown) return;
    box.dataset.shown = shown;
    clear(box);
    const delivered = hours.reduce((n, x) => n + x.delivered, 0);
    const failed = hours.reduce((n, x) => n + x.failed, 0);
    const busiest = hours.reduce((best, x) => (x.delivered + x.failed > best.delivered + best.failed ? x : best), hours[0]);
    const failedHours = hours.filter(x => x.failed > 0).length;
    const summaryText = 'In the last ' + hours.length + ' hours: ' + plural(delivered, 'delivery', 'deliveries') +
      ' delivered, ' + failed + ' failed' + (failed ? ' (in ' + plural(failedHours, 'hour') + ')' : '') +
      (busiest && busiest.delivered + busiest.failed > 0 ? '; busiest hour ' + hourLabel(busiest.hour) + ' with ' +
        (busiest.delivered + busiest.failed) : '') + '.';

    const width = 720, height = 200, left = 36, right = 8, top = 12, bottom = 28;
    const plotWidth = width - left - right, plotHeight = height - top - bottom;
    const max = Math.max(1, ...hours.map(x => Math.max(x.delivered, x.failed)));
    const slot = plotWidth / hours.length;
    const bar = Math.max(2, (slot - 4) / 2);
    const y = n => top + plotHeight - (n / max) * plotHeight;
    const chart = svgEl('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': 'activity-svg-title activity-svg-desc',
      id: 'activity-svg', class: 'chart', preserveAspectRatio: 'xMidYMid meet'},
      svgEl('title', {id: 'activity-svg-title'}, 'Deliveries per hour over the last ' + hours.length + ' hours'),
      svgEl('desc', {id: 'activity-svg-desc'}, summaryText + ' Solid bars: delivered; hatched bars: failed.'),
      svgEl('defs', null, svgEl('pattern', {id: 'hatch-failed', patternUnits: 'userSpaceOnUse', width: 6, height: 6,
        patternTransform: 'rotate(45)'},
      svgEl('rect', {width: 6, height: 6, class: 'hatch-ground'}),
      svgEl('line', {x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line'}))),
      svgEl('line', {x1: left, y1: top + plotHeight, x2: width - right, y2: top + plotHeight, class: 'axis'}),
      svgEl('line', {x1: left, y1: top, x2: width - right, y2: top, class: 'grid'}),
      svgEl('text', {x: left - 6, y: top + 4, class: 'tick', 'text-anchor': 'end'}, String(max)),
      svgEl('text', {x: left - 6, y: top + plotHeight + 4, class: 'tick', 'text-anchor': 'end'}, '0'));
    hours.forEach((x, i) => {
      const x0 = left + i * slot + 2;
      const label = hourLabel(x.hour) + ': ' + x.delivered + ' delivered, ' + x.failed + ' failed';
      const group = svgEl('g', {class: 'hour', 'data-hour': x.hour}, svgEl('title', null, label));
      if (x.delivered > 0) {
        group.appendChild(svgEl('rect', {x: x0, y: y(x.delivered), width: bar, height: top + plotHeight - y(x.delivered),
          class: 'bar-delivered'}));
      }
      if (x.failed > 0) {
        group.appendChild(svgEl('rect', {x: x0 + bar, y: y(x.failed), width: bar, height: top + plotHeight - y(x.failed),
          class: 'bar-failed', fill: 'url(#hatch-failed)'}));
      }
      chart.appendChild(group);
      if (i % 6 === 0 || i === hours.length - 1) {
        // the first and last labels keep inside the picture
        const first = i === 0, last = i === hours.length - 1;
        chart.appendChild(svgEl('text', {x: first ? left : last ? width - right : left + i * slot + slot / 2, y: height - 8,
          class: 'tick', 'text-anchor': first ? 'start' : last ? 'end' : 'middle'}, hourLabel(x.hour)));
      }
    });
    append(box, [
      h('p', {class: 'summary', id: 'activity-summary'}, summaryText),
      h('div', {class: 'chart-box'}, chart),
      h('ul', {class: 'legend', 'aria-hidden': 'true'},
        h('li', null, legendSwatch('bar-delivered', null), 'Delivered (solid)'),
        h('li', null, legendSwatch('bar-failed', 'url(#hatch-failed)'), 'Failed: dead letter or 410 Gone (hatched)')),
      h('details', {class: 'advanced', id: 'activity-table'},
        h('summary', null, 'Show as a table'),
        h('table', {class: 'attempts'},
          h('caption', {class: 'visually-hidden'}, 'Deliveries per hour'),
          h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Hour'), h('th', {scope: 'col'}, 'Delivered'),
            h('th', {scope: 'col'}, 'Failed'))),
          h('tbody', null, hours.map(x => h('tr', null, h('th', {scope: 'row'}, hourLabel(x.hour)),
            h('td', null, String(x.delivered)), h('td', null, String(x.failed))))))),
      h('p', {class: 'hint'}, 'Per callback URL: an attempt answered 2xx counts as delivered; a delivery that used up ' +
        'its retries or was answered 410 Gone counts as failed. Poll lag is not shown: the bridge does not store it per poll.')]);
  }

  function legendSwatch(cls, fill) {
    return svgEl('svg', {viewBox: '0 0 14 14', width: 14, height: 14, class: 'swatch', 'aria-hidden': 'true'},
      svgEl('rect', fill ? {x: 0, y: 0, width: 14, height: 14, class: cls, fill} : {x: 0, y: 0, width: 14, height: 14, class: cls}));
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

  // ------------------------------------------------------------------ edit

  async function renderEdit(id, token) {
    const instance = await api('GET', '/instances/' + encodeURIComponent(id));
    if (token !== renderToken) return;
    const c = instance.configuration || {};
    const name = h('input', {type: 'text', value: instance.name, autocomplete: 'off'});
    const tags = h('input', {type: 'text', value: instance.tags.join(', '), autocomplete: 'off'});
    const enabled = h('input', {type: 'checkbox', role: 'switch', id: 'f-events-enabled', checked: instance.eventsEnabled});
    const interval = h('input', {type: 'number', min: '0', step: 'any', inputmode: 'decimal',
      value: String(c['event.poller.refresh_interval'] || '')});
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

  // ------------------------------------------------------------------ routing

  async function route() {
    const token = ++renderToken;
    stopRefresh();
    if (flashViews > 0) {
      flashViews--;
    } else {
      clear(flashBox);
    }
    if (!auth()) {
      renderSignIn();
      return;
    }
    nav.hidden = false;
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
      if (token !== renderToken || !auth()) return;
      show(h('h1', null, err.status === 404 ? 'Not found' : 'Something went wrong'),
        h('p', {class: 'bad'}, err.message), h('p', null, h('a', {href: '#/'}, 'Back to the instances')));
    }
  }

  document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
  setInterval(refreshTimes, 30000);
  window.addEventListener('hashchange', () => {
    route();
  });

  const params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) {
    if (auth()) {
      nav.hidden = false;
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
})();
