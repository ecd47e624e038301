/*
 * The simulator page's only script (inlined, no build step). It re-reads the JSON API every
 * 1.5 s and redraws the cards with DOM calls (textContent, never innerHTML, since binding
 * messages come from relying parties). Approve/Deny are plain forms, so the page also works
 * without JS; with JS the submit becomes a fetch and the list refreshes in place.
 */
export const DEVICE_PAGE_SCRIPT = String.raw`
(function () {
  var customer = JSON.parse(document.getElementById('sandbox-state').textContent).customer;
  var list = document.getElementById('requests');
  var status = document.getElementById('status');
  if (!customer) return;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function secondsLeft(iso) {
    return Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  }
  function decisionForm(request, action, label) {
    var form = el('form');
    form.method = 'post';
    form.action = '/device/api/requests/' + encodeURIComponent(request.id) + '/' + action;
    form.appendChild(el('button', action, label));
    return form;
  }
  function card(request) {
    var node = el('article', 'card');
    node.appendChild(el('div', 'label', 'Binding message'));
    node.appendChild(el('div', 'binding', request.bindingMessage || '(none sent)'));
    var meta = el('dl', 'meta');
    [['Client', request.clientId], ['Scope', request.scope], ['ACR requested', request.acrValues || '-'],
     ['Expires in', secondsLeft(request.expiresAt) + ' s']].forEach(function (pair) {
      meta.appendChild(el('dt', '', pair[0]));
      meta.appendChild(el('dd', '', pair[1]));
    });
    node.appendChild(meta);
    var actions = el('div', 'actions');
    actions.appendChild(decisionForm(request, 'approve', 'Approve'));
    actions.appendChild(decisionForm(request, 'deny', 'Deny'));
    node.appendChild(actions);
    return node;
  }
  function render(requests) {
    list.replaceChildren.apply(list, requests.length ? requests.map(card) : [el('p', 'empty', 'No pending requests. Waiting...')]);
    status.textContent = 'Updated ' + new Date().toLocaleTimeString();
  }
  function refresh() {
    fetch('/device/api/requests?customer=' + encodeURIComponent(customer), { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(render)
      .catch(function () { status.textContent = 'Sandbox provider not reachable'; });
  }
  list.addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    form.querySelector('button').disabled = true;
    fetch(form.action, { method: 'POST' })
      .then(function (response) {
        status.textContent = response.status === 204 ? 'Sent.' : 'Request is gone (expired or already decided).';
      })
      .catch(function () { status.textContent = 'Sandbox provider not reachable'; })
      .then(refresh);
  });
  setInterval(refresh, 1500);
})();
`;
