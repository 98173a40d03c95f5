// The page's DOM helpers, shared by every screen: h() builds elements (strings become text nodes, never markup),
// show() puts a screen in <main>, the flash line, badges, relative times ("3 min ago"), plurals, and the form
// field with its error line (showError, clearErrors). The flash box and the top navigation are reached only through
// the functions here.

const main = document.getElementById('main');
const flashBox = document.getElementById('flash');
const nav = document.getElementById('nav');

/** h('p', {class: 'x'}, 'text', node): an element; strings become text nodes, never markup. */
export function h(tag, attrs) {
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

export function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    child.forEach(c => append(el, c));
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function show(...nodes) {
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

export function flash(message, kind) {
  clear(flashBox);
  flashViews = message ? 1 : 0;
  if (!message) return;
  flashBox.className = 'flash ' + (kind || 'info');
  append(flashBox, h('p', null, message));
}

/** At each view change: a message shown by the last action stays for one view (see flash), else it goes. */
export function flashTurn() {
  if (flashViews > 0) {
    flashViews--;
  } else {
    clear(flashBox);
  }
}

/** The top navigation (Instances, New instance, Sign out): shown only when signed in. */
export function setNavVisible(visible) {
  nav.hidden = !visible;
}

export function badge(text, kind) {
  return h('span', {class: 'badge ' + kind}, text);
}

/** A time as "3 min ago" (or "in 5 min"), the exact local time on hover; kept current by refreshTimes. */
export function when(iso) {
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

export function refreshTimes() {
  document.querySelectorAll('time[data-relative]').forEach(t => {
    t.textContent = relative(new Date(t.getAttribute('datetime')));
  });
}

/** Parts (strings or nodes, empty ones left out) with a separator between them. */
export function joined(parts, separator) {
  const result = [];
  parts.filter(p => p !== null && p !== undefined && p !== '').forEach((p, i) => {
    if (i > 0) result.push(separator);
    result.push(p);
  });
  return result;
}

export function plural(n, one, many) {
  return n + ' ' + (n === 1 ? one : (many || one + 's'));
}

// ------------------------------------------------------------------ form fields and their errors

export function field(id, labelText, input, hint) {
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

export function clearErrors(form) {
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
export function showError(form, inputId, message) {
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

export function hideError(inputId) {
  const input = document.getElementById(inputId);
  const error = document.getElementById(inputId + '-error');
  if (input) input.removeAttribute('aria-invalid');
  if (error) {
    error.textContent = '';
    error.hidden = true;
  }
}

export function focusFirstError(form) {
  const bad = form.querySelector('[aria-invalid="true"]') || form.querySelector('.error:not([hidden])');
  if (bad && bad.focus) bad.focus();
}
