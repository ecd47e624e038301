import type { IncomingMessage, ServerResponse } from 'node:http';

import { DEMO_CUSTOMERS, findCustomerByHint } from './demo-customers.js';
import { renderDevicePage } from './device-page.js';
import { BodyTooLargeError, isFormPost, readBody } from './http-body.js';
import { type DeviceRequestView, UnknownSandboxRequestError } from './pending-requests.js';
import { errorMessage, logEvent, type SandboxLog } from './sandbox-log.js';
import type { ApproveOptions, SandboxRequestView } from './sandbox-types.js';

/*
 * HTTP face of the authentication-device simulator:
 *   GET  /device[?customer=alice]               the page
 *   GET  /device/api/customers                  DemoCustomer[]
 *   GET  /device/api/requests[?customer=alice]  SandboxRequestView[] (undecided, unexpired)
 *   GET  /device/api/inbox?customer=alice       DeviceRequestView[] (the phone: with state, expired ones too)
 *   POST /device/api/requests/{id}/approve      optional JSON {acr, amr} -> 204 (404 if unknown)
 *   POST /device/api/requests/{id}/deny         -> 204 (404 if unknown)
 * There is deliberately NO authentication: this is a local sandbox, and anyone who can reach it
 * can approve any demo customer's requests. Never expose it beyond a development machine.
 */

export interface DeviceOperations {
  pending(customer?: string): SandboxRequestView[];
  /** one phone's requests as the page shows them */
  inbox(customer: string): DeviceRequestView[];
  approve(id: string, options?: ApproveOptions): Promise<void>;
  deny(id: string): Promise<void>;
}

const DECISION_PATH = /^\/device\/api\/requests\/([^/]+)\/(approve|deny)$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isDevicePath(pathname: string): boolean {
  return pathname === '/device' || pathname.startsWith('/device/');
}

export function createDeviceHandler(operations: DeviceOperations, log: SandboxLog) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await route(operations, req, res);
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 500) logEvent(log, 'device.error', { path: req.url, error: errorMessage(error) });
      sendJson(res, status, { error: status === 500 ? 'internal error' : errorMessage(error) });
    }
  };
}

function httpStatusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof UnknownSandboxRequestError) return 404;
  if (error instanceof BodyTooLargeError) return 413;
  return 500;
}

async function route(operations: DeviceOperations, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const customerParam = url.searchParams.get('customer');
  const customer = customerParam ? findCustomerByHint(customerParam) : undefined;
  if (customerParam && !customer) throw new HttpError(404, `unknown customer ${customerParam}`);

  if (url.pathname === '/device' || url.pathname === '/device/') {
    requireMethod(req, 'GET');
    const requests = customer ? operations.inbox(customer.username) : [];
    send(res, 200, 'text/html; charset=utf-8', renderDevicePage(DEMO_CUSTOMERS, customer, requests));
    return;
  }
  if (url.pathname === '/device/api/customers') {
    requireMethod(req, 'GET');
    sendJson(res, 200, DEMO_CUSTOMERS);
    return;
  }
  if (url.pathname === '/device/api/inbox') {
    requireMethod(req, 'GET');
    if (!customer) throw new HttpError(400, 'name the phone: ?customer=alice');
    sendJson(res, 200, operations.inbox(customer.username));
    return;
  }
  if (url.pathname === '/device/api/requests') {
    requireMethod(req, 'GET');
    sendJson(res, 200, operations.pending(customer?.username));
    return;
  }
  const decision = DECISION_PATH.exec(url.pathname);
  if (!decision) throw new HttpError(404, 'not found');
  requireMethod(req, 'POST');
  const [, rawId, action] = decision;
  const id = safeDecode(rawId);
  // Remember whose phone it was, for the no-JS form post's redirect back to the page.
  const owner = operations.pending().find((request) => request.id === id)?.customer;
  const body = await readBody(req);

  if (action === 'approve') await operations.approve(id, parseApproveOptions(req, body));
  else await operations.deny(id);

  if (isFormPost(req)) {
    res.writeHead(303, { location: owner ? `/device?customer=${encodeURIComponent(owner)}` : '/device' }).end();
  } else {
    res.writeHead(204).end();
  }
}

function parseApproveOptions(req: IncomingMessage, body: string): ApproveOptions {
  if (isFormPost(req) || body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'body must be JSON: {"acr"?: string, "amr"?: string[]}');
  }
  const { acr, amr } = (parsed ?? {}) as Record<string, unknown>;
  if (acr !== undefined && typeof acr !== 'string') throw new HttpError(400, 'acr must be a string');
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((value) => typeof value === 'string'))) {
    throw new HttpError(400, 'amr must be an array of strings');
  }
  return { acr, amr: amr };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpError(404, 'not found');
  }
}

function requireMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method) throw new HttpError(405, `use ${method}`);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}
