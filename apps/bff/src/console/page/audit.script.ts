/*
 * Browser module `/console/audit.js`: a supervisor's view of recent activity (API.md §7: a
 * supervisor may read the consumer's audit trail and open any of its authentications). The BFF
 * decides who is a supervisor: for anyone else `/v1/audit` answers 404, and the panel stays hidden.
 * Everything goes in through textContent; customers are already masked by the server.
 */
export const AUDIT_SCRIPT = String.raw`
import { readAudit } from './api.js';
import { setText } from './views.js';

const WINDOW_MS = 8 * 60 * 60 * 1000;
const SHOWN = 25;
const MAX_PAGES = 5;

/** The newest events of the last hours: the trail reads oldest first, so it follows the cursor to the end. */
async function newestEvents() {
  let items = [];
  let cursor = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = cursor ? { cursor, limit: '500' } : { from: new Date(Date.now() - WINDOW_MS).toISOString(), limit: '500' };
    const answer = await readAudit(query);
    items = items.concat(answer.items || []).slice(-SHOWN);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items.reverse();
}

function starter(initiatedBy) {
  if (!initiatedBy) return '\u2014';
  return initiatedBy.type === 'agent' ? initiatedBy.name || initiatedBy.subject : 'Service: ' + initiatedBy.id;
}

function cell(value) {
  const td = document.createElement('td');
  td.textContent = value == null || value === '' ? '\u2014' : String(value);
  return td;
}

function row(item, open) {
  const tr = document.createElement('tr');
  const time = new Date(item.time);
  tr.append(
    cell(Number.isNaN(time.getTime()) ? item.time : time.toLocaleTimeString()),
    cell(starter(item.initiatedBy)),
    cell(item.event),
    cell(item.outcome),
    cell(item.customer),
  );
  const reference = document.createElement('td');
  if (item.authenticationId) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = 'Open';
    button.setAttribute('aria-label', 'Open authentication ' + item.authenticationId);
    button.dataset.id = item.authenticationId;
    button.addEventListener('click', () => open(item.authenticationId));
    reference.append(button);
  } else reference.textContent = '\u2014';
  tr.append(reference);
  return tr;
}

/**
 * Fills the panel; resolves true when this agent may read the trail (the panel is shown), false
 * when the BFF says it is not theirs to read (404). Any other failure is said in the panel.
 */
export async function showAudit(ui, open) {
  try {
    const items = await newestEvents();
    ui.rows.replaceChildren(...items.map((item) => row(item, open)));
    setText(ui.error, items.length ? '' : 'Nothing in the last hours.');
    ui.panel.hidden = false;
    return true;
  } catch (error) {
    if (error.status === 404) {
      ui.panel.hidden = true;
      return false;
    }
    if (error.status === 401) throw error;
    setText(ui.error, 'The activity could not be read (' + error.message + ').');
    ui.panel.hidden = false;
    return true;
  }
}
`;
