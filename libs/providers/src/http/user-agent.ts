/**
 * The User-Agent of the requests we build ourselves (token requests, dialects' POSTs). Some WAF
 * rule sets refuse a request without one (AWS WAF's `NoUserAgent_HEADER`); openid-client names
 * itself on the calls it makes, we name the product on ours.
 */
export const USER_AGENT = 'ciba-bff';
