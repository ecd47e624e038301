export {
  CibaClient,
  type CibaClientOptions,
  type FollowOptions,
  type StatusDocument,
  type StartAuthenticationRequest,
} from './ciba-client.js';
export { CibaProblemError, type ProblemDocument } from './ciba-problem.js';
export { verifyWebhookSignature, DEFAULT_TOLERANCE_SECONDS, type VerifyWebhookOptions } from './webhook-signature.js';
export { readServerSentEvents, type ServerSentEvent } from './sse-stream.js';
