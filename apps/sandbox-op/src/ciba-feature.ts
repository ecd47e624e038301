import { findCustomerByHint, findCustomerBySub } from './demo-customers.js';
import type { BackchannelRequest, OidcAccount, OidcClient, OidcErrors, OidcHookContext } from './oidc-provider-types.js';
import type { PendingRequests } from './pending-requests.js';
import { logEvent, type SandboxLog } from './sandbox-log.js';

/** oidc-provider's own default rule, restated because calling its default prints a console notice. */
const BINDING_MESSAGE = /^[a-zA-Z0-9-._+/!?#]{1,20}$/;

/** For clients registered with backchannel_user_code_parameter: the last 4 digits of the personal number. */
export function demoUserCode(personalNumber: string): string {
  return personalNumber.slice(-4);
}

interface CibaFeatureDeps {
  errors: OidcErrors;
  pending: PendingRequests;
  log: SandboxLog;
}

/** The `features.ciba` block: how the sandbox finds the user and "pushes" to their phone. */
export function cibaFeature({ errors, pending, log }: CibaFeatureDeps): Record<string, unknown> {
  return {
    enabled: true,
    deliveryModes: ['poll', 'ping'],

    // Returning undefined makes oidc-provider answer with its standard unknown_user_id error.
    async processLoginHint(_ctx: OidcHookContext, loginHint: string): Promise<string | undefined> {
      return findCustomerByHint(loginHint)?.sub;
    },

    async processLoginHintToken(): Promise<never> {
      throw new errors.InvalidRequest('login_hint_token is not supported by the sandbox; send login_hint');
    },

    async verifyUserCode(ctx: OidcHookContext, account: OidcAccount, userCode: string | undefined): Promise<void> {
      if (!ctx.oidc?.client?.backchannelUserCodeParameter) return;
      if (!userCode) throw new errors.MissingUserCode('user_code is required for this client');
      const customer = findCustomerBySub(account.accountId);
      if (!customer || userCode !== demoUserCode(customer.personalNumber)) {
        throw new errors.InvalidUserCode('user_code is not valid for this user');
      }
    },

    async validateBindingMessage(_ctx: OidcHookContext, bindingMessage: unknown): Promise<void> {
      if (typeof bindingMessage === 'string' && !BINDING_MESSAGE.test(bindingMessage)) {
        throw new errors.InvalidBindingMessage(
          'the binding_message value, when provided, needs to be 1 - 20 characters in length and match ^[a-zA-Z0-9-._+/!?#]{1,20}$',
        );
      }
    },

    // request_context is free-form; the sandbox has no policy to apply to it.
    async validateRequestContext(): Promise<void> {},

    // Called after the auth_req_id is stored: "notify the phone" = put it in the simulator's inbox.
    async triggerAuthenticationDevice(
      _ctx: OidcHookContext,
      request: BackchannelRequest,
      account: OidcAccount,
      client: OidcClient,
    ): Promise<void> {
      const customer = findCustomerBySub(account.accountId);
      if (!customer) return; // cannot happen: findAccount only knows demo customers
      const params = request.params ?? {};
      const now = Date.now();
      const view = pending.add({
        authReqId: request.jti,
        customer: customer.username,
        clientId: client.clientId,
        bindingMessage: typeof params.binding_message === 'string' ? params.binding_message : null,
        scope: request.scope ?? '',
        acrValues: typeof params.acr_values === 'string' ? params.acr_values : null,
        createdAt: new Date(now),
        expiresAt: new Date(now + request.expiration * 1000),
      });
      logEvent(log, 'ciba.request', { id: view.id, customer: view.customer, clientId: view.clientId, bindingMessage: view.bindingMessage });
    },
  };
}
