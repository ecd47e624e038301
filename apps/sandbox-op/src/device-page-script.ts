/*
 * The simulator page's only script (inlined, no build step). It re-reads the phone's inbox
 * (`/device/api/inbox`) every 1.5 s and keeps one card per request, updated in place, so a
 * redraw never takes the focus or an open question away. Approve and Deny ask first, in the card
 * itself (not window.confirm: a page can be tested and read aloud, a browser dialog hardly);
 * the answer is then a fetch. Everything from relying parties goes in through textContent.
 * Without JavaScript the served cards' plain forms still work, without the question.
 */
export const DEVICE_PAGE_SCRIPT = String.raw`
(function () {
  const state = JSON.parse(document.getElementById('sandbox-state').textContent);
  const customer = state.customer;
  const list = document.getElementById('requests');
  const status = document.getElementById('status');
  const updated = document.getElementById('updated');
  if (!customer) return;

  /** request id -> { node, request, confirming: null | 'approve' | 'deny', drawn } */
  const cards = new Map();
  const empty = el('p', 'empty', 'No pending requests. Waiting...');

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  const secondsLeft = (iso) => Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  const decisionUrl = (request, action) => '/device/api/requests/' + encodeURIComponent(request.id) + '/' + action;

  function actions(request) {
    const box = el('div', 'actions');
    for (const [action, label] of [['approve', 'Approve'], ['deny', 'Deny']]) {
      const form = el('form');
      form.method = 'post';
      form.action = decisionUrl(request, action);
      const button = el('button', action, label);
      button.dataset.action = action;
      form.appendChild(button);
      box.appendChild(form);
    }
    return box;
  }

  /** The question in the card: what is about to be said, and to whom. */
  function confirmation(entry) {
    const { request, confirming } = entry;
    const box = el('div', 'confirm');
    const question = el('p', 'question');
    question.id = 'confirm-' + request.id;
    question.tabIndex = -1;
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', question.id);
    if (confirming === 'approve') {
      question.append('Approve? Only if the other screen shows ', el('code', '', request.bindingMessage || '(no code)'), '.');
    } else {
      question.append('Deny this request from ' + request.clientId + '?');
    }
    if (request.state === 'abandoned') question.append(' The service has stopped waiting for it.');
    const buttons = el('div', 'buttons');
    const yes = el('button', confirming, confirming === 'approve' ? 'Yes, approve' : 'Yes, deny');
    yes.type = 'button';
    yes.dataset.confirm = confirming;
    const back = el('button', 'back', 'Back');
    back.type = 'button';
    back.dataset.back = 'true';
    buttons.append(yes, back);
    box.append(question, buttons);
    return box;
  }

  function draw(entry) {
    const { node, request } = entry;
    node.className = 'card ' + request.state;
    node.dataset.state = request.state;
    const children = [el('div', 'label', 'Binding message'), el('div', 'binding', request.bindingMessage || '(none sent)')];
    if (state.notes[request.state]) children.push(el('p', 'state-note', state.notes[request.state]));
    const meta = el('dl', 'meta');
    for (const [term, value] of [['Client', request.clientId], ['Scope', request.scope], ['ACR requested', request.acrValues || '-'], ['Expires in', secondsLeft(request.expiresAt) + ' s']]) {
      meta.append(el('dt', '', term), el('dd', '', value));
    }
    meta.lastChild.className = 'expires';
    children.push(meta);
    if (request.state !== 'expired') children.push(entry.confirming ? confirmation(entry) : actions(request));
    node.replaceChildren(...children);
    entry.drawn = request.state + ' ' + entry.confirming;
  }

  /** Redraws a card only when what it asks changed; otherwise just its countdown. */
  function update(entry, request) {
    entry.request = request;
    if (request.state === 'expired') entry.confirming = null;
    if (entry.drawn === request.state + ' ' + entry.confirming) {
      entry.node.querySelector('.expires').textContent = secondsLeft(request.expiresAt) + ' s';
      return;
    }
    // Keep the focus on the same control when a card changes under it.
    const focused = entry.node.contains(document.activeElement) ? document.activeElement.dataset : null;
    draw(entry);
    const again = focused && (focused.action || focused.confirm || focused.back);
    if (again) entry.node.querySelector('[data-action="' + again + '"], [data-confirm="' + again + '"], [data-back="' + again + '"]')?.focus();
  }

  function render(requests) {
    const seen = new Set();
    const nodes = requests.map((request) => {
      seen.add(request.id);
      let entry = cards.get(request.id);
      if (!entry) {
        entry = { node: el('article'), request, confirming: null, drawn: null };
        entry.node.dataset.id = request.id;
        cards.set(request.id, entry);
      }
      update(entry, request);
      return entry.node;
    });
    for (const id of [...cards.keys()]) if (!seen.has(id)) cards.delete(id);
    // Move nodes only when the order changed: re-inserting a focused node would blur it.
    const wanted = nodes.length ? nodes : [empty];
    if (wanted.length !== list.children.length || wanted.some((node, index) => list.children[index] !== node)) list.replaceChildren(...wanted);
    updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
  }

  function refresh() {
    return fetch('/device/api/inbox?customer=' + encodeURIComponent(customer), { cache: 'no-store' })
      .then((response) => response.json())
      .then(render)
      .catch(() => { status.textContent = 'Sandbox provider not reachable'; });
  }

  const entryOf = (node) => cards.get(node.closest('article')?.dataset.id);

  function ask(entry, action) {
    entry.confirming = action;
    draw(entry);
    entry.node.querySelector('.question').focus();
  }

  function back(entry) {
    const action = entry.confirming;
    entry.confirming = null;
    draw(entry);
    entry.node.querySelector('[data-action="' + action + '"]')?.focus();
  }

  function decide(entry, action, button) {
    for (const other of entry.node.querySelectorAll('button')) other.disabled = true;
    fetch(decisionUrl(entry.request, action), { method: 'POST' })
      .then((response) => {
        status.textContent = response.status === 204
          ? (action === 'approve' ? 'Approved' : 'Denied') + ': the other screen shows the result.'
          : 'This request is gone (expired or already answered).';
      })
      .catch(() => { status.textContent = 'Sandbox provider not reachable'; })
      .then(refresh)
      .then(() => { if (button.isConnected) button.disabled = false; });
  }

  // Approve or Deny (with JS): ask in the card first instead of posting the form.
  list.addEventListener('submit', (event) => {
    event.preventDefault();
    const entry = entryOf(event.target);
    const action = event.submitter?.dataset.action;
    if (entry && action) ask(entry, action);
  });
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    const entry = button && entryOf(button);
    if (!entry) return;
    if (button.dataset.confirm) decide(entry, button.dataset.confirm, button);
    else if (button.dataset.back) back(entry);
  });
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const entry = entryOf(event.target);
    if (entry && entry.confirming) back(entry);
  });

  render(state.requests);
  setInterval(refresh, 1500);
})();
`;
