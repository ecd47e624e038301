/*
 * Stylesheet of the workforce pages (sign-in, sign-out), inlined. The device simulator's look:
 * one narrow column, a white card, large buttons with a visible focus ring.
 */
export const WORKFORCE_PAGE_STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #eef1f6; }
  body { margin: 0 auto; max-width: 30rem; padding: 1.5rem 1rem; }
  h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
  .hint { color: #5b6475; font-size: .85rem; margin: 0 0 1rem; }
  .card { background: #fff; border-radius: 14px; padding: 1rem 1.25rem; box-shadow: 0 2px 8px rgba(20,30,60,.08); }
  .card form { display: grid; gap: .75rem; margin: 0; }
  button { width: 100%; min-height: 2.75rem; padding: .7rem 1rem; font-size: 1rem; border: 0; border-radius: 10px; cursor: pointer; color: #fff; background: #1d4ed8; text-align: left; }
  button.sign-out { background: #b91c1c; text-align: center; }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .problem { font-weight: 600; color: #92400e; background: #fffbeb; border-radius: 8px; padding: .5rem .7rem; margin: 0 0 1rem; }
  code { font: 600 .95em ui-monospace, monospace; overflow-wrap: anywhere; }
`;
