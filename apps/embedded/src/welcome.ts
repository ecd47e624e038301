/** What `npm start` prints once everything listens: where to click, what to paste. */
export function printWelcome(input: {
  bffUrl: string;
  deviceUrl: string;
  apiKey: string;
  customers: string[];
  /** Demo agents of the console's sign-in, when the configuration has an agents section. */
  agents: string[];
  sandboxConfig: boolean;
}): void {
  const curl = [
    `curl -s -X POST ${input.bffUrl}/v1/authentications \\`,
    `  -H 'Authorization: Bearer ${input.apiKey}' -H 'Content-Type: application/json' \\`,
    `  -d '{"provider":"sandbox","loginHint":"${input.customers[0] ?? 'alice'}","bindingMessage":"W4SP-1234"}'`,
  ].join('\n');
  const lines = [
    '',
    'CIBA BFF is running (embedded default: sandbox provider, local Redis).',
    '',
    `  API              ${input.bffUrl}/v1/authentications`,
    input.agents.length
      ? `  Agent console    ${input.bffUrl}/console   (a branch agent's screen; sign in at the sandbox as a demo agent)`
      : `  Agent console    ${input.bffUrl}/console   (a branch agent's screen; sign in with the demo API key)`,
    `  API docs         ${input.bffUrl}/docs`,
    `  Device simulator ${input.deviceUrl}   (approve or deny as the customer)`,
    `  Queue dashboard  ${input.bffUrl}/admin/queues   (any user name; the demo API key as password)`,
    `  Metrics          ${input.bffUrl}/metrics`,
    `  Demo API key     ${input.apiKey}`,
    `  Demo customers   ${input.customers.join(', ')}`,
    ...(input.agents.length ? [`  Demo agents      ${input.agents.join(', ')}`] : []),
    '',
    'Start an authentication:',
    '',
    curl,
    '',
    `Then open the device simulator, pick ${input.customers[0] ?? 'alice'}, and approve. Use "provider":"sandbox-ping"`,
    'to see ping mode: the sandbox notifies the BFF and the result arrives at once instead of at the next poll.',
    'Follow the result with',
    `  curl -s '${input.bffUrl}/v1/authentications/<id>?wait=30' -H 'Authorization: Bearer ${input.apiKey}'`,
    '',
    input.sandboxConfig ? '' : 'Note: CIBA_CONFIG is set; the sandbox provider runs, but the BFF uses your configuration.',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
