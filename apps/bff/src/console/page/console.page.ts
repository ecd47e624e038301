/*
 * `/console`: the branch agent's page. Static markup only, no data in it and no inline script
 * or style (the Content-Security-Policy allows neither): main.js fills it in. Secret fields have
 * no `name`, so even a form submitted without JavaScript carries neither the key nor the customer.
 */
export type SignInMode = 'key' | 'agent';

/**
 * The page for this BFF's sign-in: `agent` with an `agents` section (a link to the workforce
 * provider), else `key` (a consumer API key). The page knows it at once, so the right sign-in
 * card is there before any request.
 */
export const consolePage = (signIn: SignInMode): string => CONSOLE_PAGE.replace('<body>', `<body data-sign-in="${signIn}">`);

const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="same-origin">
  <title>Branch console · CIBA</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/console/console.css">
  <script type="module" src="/console/main.js"></script>
</head>
<body>
  <header class="top">
    <div>
      <h1>Branch console</h1>
      <p class="subtitle">The customer confirms on their own phone</p>
    </div>
    <div class="account">
      <p id="who" class="who" hidden></p>
      <button id="sign-out" type="button" class="secondary" hidden>Sign out</button>
    </div>
    <!-- An agent signs out with a form: the BFF ends the session and sends the browser on to the
         bank's sign-in provider (RP-initiated logout), which only a navigation can follow. -->
    <form id="sign-out-form" method="post" action="/console/logout" hidden>
      <input id="sign-out-csrf" type="hidden" name="csrfToken">
    </form>
  </header>
  <main>
    <noscript><p class="card">This console needs JavaScript.</p></noscript>

    <section id="sign-in" class="card" aria-labelledby="sign-in-title" hidden>
      <h2 id="sign-in-title">Sign in</h2>
      <form id="sign-in-form" method="post" autocomplete="off">
        <label for="api-key">Consumer API key</label>
        <input id="api-key" type="password" required autocomplete="off" spellcheck="false" aria-describedby="sign-in-error api-key-help">
        <p class="help" id="api-key-help">Kept in this browser tab only, until you sign out or close the tab.</p>
        <p id="sign-in-error" class="error" role="alert"></p>
        <button id="sign-in-button" type="submit">Sign in</button>
      </form>
    </section>

    <section id="agent-sign-in" class="card" aria-labelledby="agent-sign-in-title" hidden>
      <h2 id="agent-sign-in-title">Sign in</h2>
      <p>Sign in with your bank workforce account. The console never sees your password.</p>
      <p id="agent-sign-in-error" class="error" role="alert"></p>
      <a id="agent-sign-in-link" class="button" href="/console/login">Sign in with your bank account</a>
    </section>

    <section id="start" class="card" aria-labelledby="start-title" hidden>
      <h2 id="start-title">New authentication</h2>
      <p id="start-note" class="note" role="status"></p>
      <form id="start-form" method="post" autocomplete="off">
        <label for="provider">Provider</label>
        <select id="provider" required aria-describedby="provider-help"></select>
        <p class="help" id="provider-help">The customer's bank or eID: the providers your key may use.</p>

        <fieldset data-profile="generic">
          <legend>Customer</legend>
          <label for="generic-hint">Customer identifier</label>
          <input id="generic-hint" required autocomplete="off" spellcheck="false" aria-describedby="generic-help">
          <p class="help" id="generic-help">User name, personal number or phone number, as the provider knows the customer.</p>
        </fieldset>

        <fieldset data-profile="tbc" hidden disabled>
          <legend>Customer (TBC Bank)</legend>
          <fieldset class="choices">
            <legend>Identify by</legend>
            <label class="choice"><input type="radio" name="tbc-kind" value="personal_number" checked> Personal number</label>
            <label class="choice"><input type="radio" name="tbc-kind" value="msisdn"> Phone number</label>
          </fieldset>
          <label for="tbc-identifier">Number</label>
          <input id="tbc-identifier" required inputmode="tel" autocomplete="off" aria-describedby="tbc-help">
          <p class="help" id="tbc-help">Personal number: 11 digits. Phone: country code first (995 599 12 34 56). After the customer confirms, the bank sends them a code to read out to you.</p>
        </fieldset>

        <fieldset data-profile="idura" hidden disabled>
          <legend>Customer (Idura)</legend>
          <label for="idura-acr">Electronic ID</label>
          <select id="idura-acr" required>
            <option value="urn:grn:authn:se:bankid">Swedish BankID</option>
            <option value="urn:grn:authn:no:bankid">Norwegian BankID</option>
            <option value="urn:grn:authn:se:frejaid">Freja eID</option>
          </select>
          <label for="idura-ssn">Personal identity number (SSN)</label>
          <input id="idura-ssn" required inputmode="numeric" autocomplete="off" aria-describedby="idura-help">
          <p class="help" id="idura-help">Swedish personnummer (10 or 12 digits) or Norwegian fødselsnummer (11 digits).</p>
        </fieldset>

        <fieldset data-profile="plumery" hidden disabled>
          <legend>Customer (Plumery)</legend>
          <label for="plumery-method">Method</label>
          <select id="plumery-method">
            <option value="">Let the provider choose</option>
            <option value="smart-id">Smart-ID</option>
            <option value="mobile-id">Mobile-ID</option>
            <option value="app-passcode">App passcode</option>
            <option value="app-biometrics">App biometrics</option>
          </select>
          <label for="plumery-username">User name</label>
          <input id="plumery-username" autocomplete="off" spellcheck="false">
          <div class="pair">
            <div>
              <label for="plumery-country">Country</label>
              <input id="plumery-country" maxlength="2" autocomplete="off" spellcheck="false" aria-describedby="plumery-help">
            </div>
            <div>
              <label for="plumery-personal-id">Personal id</label>
              <input id="plumery-personal-id" autocomplete="off" aria-describedby="plumery-help">
            </div>
          </div>
          <label for="plumery-phone">Phone number</label>
          <input id="plumery-phone" type="tel" autocomplete="off" aria-describedby="plumery-help">
          <p class="help" id="plumery-help">A user name or a personal id with its two-letter country (LT). Smart-ID needs the personal id, Mobile-ID the phone number (+370…).</p>
        </fieldset>

        <fieldset data-profile="simpleidserver" hidden disabled>
          <legend>Customer (SimpleIdServer)</legend>
          <label for="sis-user">User</label>
          <input id="sis-user" required autocomplete="off" spellcheck="false">
          <label for="sis-password">Customer's password</label>
          <input id="sis-password" type="password" required autocomplete="off" aria-describedby="sis-help">
          <p class="help" id="sis-help">The customer types it. It goes once to the provider and is kept nowhere.</p>
        </fieldset>

        <div id="binding-field">
          <label for="binding-message">Binding message <span class="optional">(optional)</span></label>
          <input id="binding-message" autocomplete="off" spellcheck="false" aria-describedby="binding-help">
          <p class="help" id="binding-help">Shown on the customer's phone. Leave it empty and a short code is made for you.</p>
        </div>
        <p id="start-error" class="error" role="alert"></p>
        <button id="start-button" type="submit">Start</button>
      </form>
    </section>

    <section id="running" class="card" aria-labelledby="running-title" hidden>
      <h2 id="running-title" tabindex="-1">Authentication running <span class="muted">at <span id="run-provider"></span></span></h2>
      <p id="run-note" class="note" role="status"></p>
      <div id="binding" class="binding">
        <p class="label" id="binding-label">Read this code to the customer</p>
        <p id="binding-code" class="code" aria-hidden="true"></p>
        <p id="binding-spelled" class="sr-only"></p>
        <p class="help">It must match the code on their phone.</p>
      </div>
      <p id="no-binding" class="binding none" hidden>No code for this provider: ask the customer to look at their phone.</p>
      <div class="live" role="status">
        <p id="status-line" class="status"></p>
        <p id="progress" class="progress"></p>
      </div>
      <p class="countdown">Expires in <span id="countdown" role="timer">–</span> <span id="connection" class="connection"></span></p>
      <form id="code-form" method="post" autocomplete="off" hidden>
        <label for="user-code">Code the customer reads out</label>
        <input id="user-code" required inputmode="numeric" autocomplete="off" spellcheck="false" aria-describedby="code-error">
        <p id="code-error" class="error" role="alert"></p>
        <button id="code-button" type="submit">Send the code</button>
      </form>
      <p id="run-error" class="error" role="alert"></p>
      <div class="cancel">
        <button id="cancel" type="button" class="danger" aria-describedby="cancel-help">Cancel</button>
        <p class="help" id="cancel-help">Cancelling stops the wait here. The customer's phone may still show the prompt: tell them to ignore it.</p>
      </div>
    </section>

    <section id="outcome" aria-labelledby="outcome-heading" hidden>
      <div id="outcome-card" class="card outcome">
        <h2 id="outcome-heading" tabindex="-1"><span id="outcome-icon" class="icon" aria-hidden="true"></span> <span id="outcome-title"></span></h2>
        <p id="outcome-detail" class="detail"></p>
        <p id="outcome-reason" class="reason"></p>
        <dl id="identity" class="identity" aria-label="Verified identity" hidden></dl>
        <div class="reference">
          <span class="label" id="outcome-id-label">Reference</span>
          <code id="outcome-id"></code>
          <button id="copy-id" type="button" class="secondary" aria-label="Copy reference">Copy</button>
          <span id="copy-status" class="copy-status" role="status"></span>
        </div>
        <p id="outcome-reference" class="help"></p>
      </div>
      <button id="new" type="button">New authentication</button>
    </section>
    <section id="audit" class="card" aria-labelledby="audit-title" hidden>
      <h2 id="audit-title">Recent activity <span class="muted">(supervisor)</span></h2>
      <p class="help">Who started what, newest first. Open a reference to follow that authentication.</p>
      <p id="audit-error" class="error" role="alert"></p>
      <div class="table">
        <table>
          <thead><tr><th scope="col">Time</th><th scope="col">Started by</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Customer</th><th scope="col">Reference</th></tr></thead>
          <tbody id="audit-rows"></tbody>
        </table>
      </div>
      <button id="audit-refresh" type="button" class="secondary">Refresh</button>
    </section>
  </main>
</body>
</html>
`;
