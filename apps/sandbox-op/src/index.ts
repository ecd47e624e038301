export { startSandboxProvider } from './sandbox-provider.js';
export { DEMO_CUSTOMERS, type DemoCustomer } from './demo-customers.js';
export { DEMO_AGENTS, type DemoAgent } from './demo-agents.js';
export { demoUserCode } from './ciba-feature.js';
export { ACR_VALUES_SUPPORTED, DEFAULT_ACR, DEFAULT_AMR } from './provider-configuration.js';
export type { ApproveOptions, RunningSandbox, SandboxClient, SandboxOptions, SandboxRequestView } from './sandbox-types.js';
export { consoleClient } from './console-client.js';
