import { isIP } from 'node:net';
import { CibaError, ErrorCode } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import { isAllowedAddress, isLoopbackAddress } from './address-policy.js';

const refuse = (reason: string) => new CibaError(ErrorCode.CallbackNotAllowed, `callbackUrl is not allowed: ${reason}.`);
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

/**
 * What can be known about a callback URL when the request is made (API.md §4, "Webhook delivery"):
 * the consumer has a webhook, https (http only to loopback with `allowLoopback`), no credentials,
 * a host in `allowedHosts`, and no forbidden address written as the host. Where the host name
 * resolves to is checked again at every delivery (DNS can change).
 */
export function checkCallbackUrl(raw: string, consumer: ConsumerConfig): URL {
  const webhook = consumer.webhook;
  if (!webhook) throw refuse('this consumer has no webhook configured');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('it is not an absolute URL');
  }
  if (url.username || url.password) throw refuse('it must not carry credentials');
  if (url.hash) throw refuse('it must not carry a fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = isIP(host) !== 0;
  const loopback = literal ? isLoopbackAddress(host) : LOOPBACK_NAMES.has(host);
  if (url.protocol === 'http:') {
    if (!(webhook.allowLoopback && loopback)) throw refuse('it must be https (http only to a loopback address, with allowLoopback)');
  } else if (url.protocol !== 'https:') {
    throw refuse('it must be https');
  }
  if (!webhook.allowedHosts.map((h) => h.toLowerCase()).includes(host))
    throw refuse(`host "${host}" is not in this consumer's allowedHosts`);
  if (loopback && !webhook.allowLoopback) throw refuse('loopback addresses need allowLoopback');
  if (literal && !isAllowedAddress(host, webhook.allowLoopback)) throw refuse('private, link-local and metadata addresses are refused');
  return url;
}
