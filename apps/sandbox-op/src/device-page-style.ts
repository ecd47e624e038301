/*
 * The simulator page's stylesheet (inlined). A phone-sized column; a request that can no longer
 * be usefully answered is faded and says why in words, never by colour alone.
 */
export const DEVICE_PAGE_STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #eef1f6; }
  body { margin: 0 auto; max-width: 30rem; padding: 1.5rem 1rem; }
  h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
  .hint { color: #5b6475; font-size: .85rem; margin: 0 0 1rem; }
  nav { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: 1.25rem; }
  nav a { padding: .4rem .8rem; border-radius: 999px; background: #fff; color: inherit; text-decoration: none; border: 1px solid #cfd6e3; }
  nav a.active { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
  .card { background: #fff; border-radius: 14px; padding: 1rem 1.25rem; margin-bottom: 1rem; box-shadow: 0 2px 8px rgba(20,30,60,.08); border: 2px solid transparent; }
  .card.abandoned, .card.expired { background: #f4f5f8; border: 2px dashed #9aa3b5; box-shadow: none; }
  .card.abandoned .binding, .card.expired .binding { color: #5b6475; text-decoration: line-through; }
  .state-note { font-weight: 600; color: #92400e; background: #fffbeb; border-radius: 8px; padding: .5rem .7rem; margin: 0 0 .8rem; }
  .label { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em; color: #5b6475; }
  .binding { font: 700 2rem/1.2 ui-monospace, monospace; margin: .2rem 0 .8rem; overflow-wrap: anywhere; }
  .meta { display: grid; grid-template-columns: auto 1fr; gap: .2rem .8rem; margin: 0 0 1rem; font-size: .9rem; }
  .meta dt { color: #5b6475; } .meta dd { margin: 0; overflow-wrap: anywhere; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; } .actions form { flex: 1 1 8rem; }
  button { width: 100%; min-height: 2.75rem; padding: .7rem; font-size: 1rem; border: 0; border-radius: 10px; cursor: pointer; color: #fff; }
  button.approve { background: #15803d; } button.deny { background: #b91c1c; } button:disabled { opacity: .5; }
  button.back { background: #fff; color: #1d2330; border: 2px solid #5b6475; }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .confirm { border-top: 1px solid #cfd6e3; padding-top: .75rem; }
  .confirm .question { font-weight: 700; margin: 0 0 .75rem; }
  .confirm .question:focus { outline: none; }
  .confirm .question code { font: 700 1.1em ui-monospace, monospace; background: #eef4ff; padding: 0 .3em; border-radius: 4px; }
  .confirm .buttons { display: flex; flex-wrap: wrap; gap: .75rem; } .confirm .buttons button { flex: 1 1 8rem; width: auto; }
  .empty, .updated { color: #5b6475; font-size: .9rem; }
  #status { font-weight: 600; } #status:empty { display: none; }
`;
