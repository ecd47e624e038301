import { generateBindingMessage, invalidRequest } from '@ciba/ciba';
import type { ProviderConfig } from '@ciba/config';
import { GenericAdapter } from '../generic/generic.adapter.js';
import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import type { BackchannelAck, BackchannelRequest, HintInput, PreparedHint } from '../profile-adapter.js';
import { simpleIdServerStartError } from './simpleidserver-errors.js';
import { canonicalSubject, prepareSimpleIdServerHint } from './simpleidserver-hint.js';
import { readSimpleIdServerOptions, type SimpleIdServerOptions } from './simpleidserver-options.js';

/** SimpleIdServer's default `MaxBindingMessageSize`: it counts characters, any characters. */
const MAX_BINDING_MESSAGE = 150;
const FORBIDDEN = /[\p{Cc}\p{Cf}]/u;

/**
 * SimpleIdServer (seed 001): standard CIBA poll mode under a realm path, discovered from
 * `{base}/{realm}/.well-known/openid-configuration` (the configured issuer is `{base}/{realm}`),
 * `client_secret_post`, `login_hint` = the user's subject, and `user_code` = the customer's
 * PASSWORD. The seed shows the token call at bc-authorize; that is a documentation error, and the
 * token endpoint comes from discovery like every other endpoint.
 *
 * Its polling quirks need nothing here: it answers `slow_down` to any poll sooner than one interval
 * after the previous one (even after approval), which our scheduler never does (the first poll
 * waits one interval too); and it says `authorization_pending` forever after expiry, which our
 * own deadline (acknowledgement + expires_in) ends.
 */
export class SimpleIdServerAdapter extends GenericAdapter {
  private readonly options: SimpleIdServerOptions;

  constructor(provider: ProviderConfig, configuration: OpenIdConfigurationSource) {
    super(provider, configuration);
    this.options = readSimpleIdServerOptions(provider);
  }

  override prepareHint(input: HintInput): PreparedHint {
    return prepareSimpleIdServerHint(input);
  }

  override bindingMessage(given: string | undefined, _context: { acrValues?: string }): string | undefined {
    if (given === undefined) return generateBindingMessage();
    if (given.length === 0 || given.length > MAX_BINDING_MESSAGE || FORBIDDEN.test(given)) {
      throw invalidRequest(`bindingMessage must be 1-${MAX_BINDING_MESSAGE} characters without control characters`);
    }
    return given;
  }

  override async start(request: BackchannelRequest): Promise<BackchannelAck> {
    if (this.options.requireUserCode && !request.userCode) {
      throw invalidRequest("userCode (the customer's SimpleIdServer password) is required for this provider");
    }
    try {
      return await super.start(request);
    } catch (error) {
      throw simpleIdServerStartError(error);
    }
  }

  protected override canonicalIdentity(claimValue: string): string {
    return canonicalSubject(claimValue);
  }
}
