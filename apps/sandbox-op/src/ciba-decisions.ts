import { redirectOidcNotices } from './oidc-notices.js';
import type { BackchannelRequest, BackchannelResultOptions, OidcErrors, OidcProvider } from './oidc-provider-types.js';
import { type PendingRequest, type PendingRequests, UnknownSandboxRequestError } from './pending-requests.js';
import { ACR_VALUES_SUPPORTED, DEFAULT_ACR, DEFAULT_AMR } from './provider-configuration.js';
import { errorMessage, logEvent, type SandboxLog } from './sandbox-log.js';
import type { ApproveOptions } from './sandbox-types.js';

/** What the person on the simulated phone decides, turned into oidc-provider results. */
export class CibaDecisions {
  constructor(
    private readonly provider: OidcProvider,
    private readonly errors: OidcErrors,
    private readonly pending: PendingRequests,
    private readonly log: SandboxLog,
  ) {}

  async approve(id: string, options: ApproveOptions = {}): Promise<void> {
    const entry = this.pending.take(id);
    const request = await this.provider.BackchannelAuthenticationRequest.find(entry.authReqId, { ignoreExpiration: true });
    if (!request) throw new UnknownSandboxRequestError(id);

    // CIBA has no consent screen at the OP: approving on the device grants what was asked for.
    const grant = new this.provider.Grant({ accountId: request.accountId, clientId: request.clientId });
    grant.addOIDCScope(request.scope ?? 'openid');
    const claimNames = requestedClaimNames(request);
    if (claimNames.length > 0) grant.addOIDCClaims(claimNames);
    await grant.save();

    const result: BackchannelResultOptions = {
      acr: options.acr ?? defaultAcr(request),
      amr: options.amr ?? DEFAULT_AMR,
      authTime: Math.floor(Date.now() / 1000),
    };
    await this.#deliver(entry, () => this.provider.backchannelResult(request, grant, result));
    logEvent(this.log, 'ciba.approved', { id, customer: entry.view.customer, acr: result.acr, amr: result.amr });
  }

  async deny(id: string): Promise<void> {
    const entry = this.pending.take(id);
    await this.#deliver(entry, () =>
      this.provider.backchannelResult(entry.authReqId, new this.errors.AccessDenied('the end-user denied the request')),
    );
    logEvent(this.log, 'ciba.denied', { id, customer: entry.view.customer });
  }

  /**
   * backchannelResult stores the outcome and then, for ping clients, POSTs the notification.
   * A failed ping (relying party down) leaves a recorded outcome the client can still poll for, so
   * it is logged rather than thrown. Any failure before the outcome is stored puts the request back.
   */
  async #deliver(entry: PendingRequest, record: () => Promise<void>): Promise<void> {
    try {
      // backchannelResult may make oidc-provider's first outgoing request (the ping)
      await redirectOidcNotices(this.log, record);
    } catch (error) {
      const stored = await this.provider.BackchannelAuthenticationRequest.find(entry.authReqId, { ignoreExpiration: true });
      if (stored?.grantId || stored?.error) {
        logEvent(this.log, 'ciba.ping_failed', { id: entry.view.id, clientId: entry.view.clientId, error: errorMessage(error) });
        return;
      }
      if (stored) this.pending.restore(entry);
      throw error;
    }
  }
}

function requestedClaimNames(request: BackchannelRequest): string[] {
  const { id_token: idToken = {}, userinfo = {} } = request.claims ?? {};
  return [...new Set([...Object.keys(idToken), ...Object.keys(userinfo)])];
}

/** Like a real OP: satisfy the first supported acr the client asked for, else the sandbox default. */
function defaultAcr(request: BackchannelRequest): string {
  const requested = typeof request.params?.acr_values === 'string' ? request.params.acr_values.split(' ') : [];
  return requested.find((acr) => ACR_VALUES_SUPPORTED.includes(acr)) ?? DEFAULT_ACR;
}
