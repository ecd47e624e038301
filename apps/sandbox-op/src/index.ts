export { startSandboxProvider } from './sandbox-provider.js';
export { DEMO_CUSTOMERS, type DemoCustomer } from './demo-customers.js';
export { demoUserCode } from './ciba-feature.js';
export { ACR_VALUES_SUPPORTED, DEFAULT_ACR, DEFAULT_AMR } from './provider-configuration.js';
export type { ApproveOptions, RunningSandbox, SandboxClient, SandboxOptions, SandboxRequestView } from './sandbox-types.js';
