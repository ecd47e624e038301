/*
 * `/console/console.css`. Read at arm's length across a desk: 20 px base text, a binding code
 * about 90 px high, colour never the only signal (every outcome has a word and a symbol), and a
 * focus ring you can see from the customer's chair. It also works on a 320 px phone: nothing is
 * wider than its card, and the binding code is sized by its box (container units), so six
 * characters stay on one line at any width.
 */
export const CONSOLE_STYLE = `
:root {
  --ink: #111827; --muted: #4b5563; --paper: #f3f5f9; --card: #ffffff; --line: #c7cedb;
  --blue: #1d4ed8; --green: #166534; --green-bg: #ecfdf3; --red: #b91c1c; --red-bg: #fef2f2;
  --amber: #92400e; --amber-bg: #fffbeb; --grey-bg: #f1f3f6; --focus: #f59e0b;
  font-family: system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  color: var(--ink); background: var(--paper);
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 125%; }
body { margin: 0 auto; max-width: 52rem; padding: 1rem 1.25rem 3rem; line-height: 1.45; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 1rem; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0; }
h2 { font-size: 1.35rem; margin: 0 0 .75rem; }
.subtitle, .muted { color: var(--muted); font-weight: 400; }
.subtitle { margin: 0; font-size: .9rem; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; box-shadow: 0 2px 10px rgba(17, 24, 39, .06); }
form, #binding-field { display: grid; gap: .35rem; }
/* Grid items and fieldsets are as wide as their content by default: let them shrink to the card. */
form > *, #binding-field > *, fieldset > * { min-width: 0; }
fieldset { border: 1px solid var(--line); border-radius: 10px; margin: .75rem 0; padding: .5rem 1rem 1rem; display: grid; gap: .35rem; min-width: 0; }
fieldset.choices { border: 0; padding: 0; margin: 0 0 .5rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
legend { font-weight: 700; padding: 0 .3rem; }
label { font-weight: 600; margin-top: .5rem; }
label.choice { font-weight: 400; display: inline-flex; align-items: center; gap: .4rem; margin: 0; }
.optional { font-weight: 400; color: var(--muted); }
input, select { font: inherit; padding: .55rem .7rem; border: 2px solid #8a94a6; border-radius: 8px; background: #fff; color: inherit; width: 100%; max-width: 30rem; min-width: 0; }
input[type="radio"] { width: 1.2rem; height: 1.2rem; }
input[aria-invalid="true"], select[aria-invalid="true"] { border-color: var(--red); border-left-width: 8px; }
.field-error { color: var(--red); font-weight: 600; font-size: .9rem; margin: .1rem 0 .2rem; }
.pair { display: grid; grid-template-columns: minmax(4rem, 6rem) minmax(0, 1fr); gap: 0 1rem; max-width: 30rem; }
.pair > div { display: grid; gap: .35rem; }
.help { color: var(--muted); font-size: .85rem; margin: .1rem 0 .3rem; }
.note { color: var(--blue); margin: 0 0 .5rem; }
.note:empty, .error:empty, .progress:empty, .reason:empty { display: none; }
.error { color: var(--red); font-weight: 600; margin: .4rem 0; }

button { font: inherit; font-weight: 700; min-height: 2.75rem; padding: .55rem 1.4rem; border-radius: 10px; border: 2px solid var(--blue); background: var(--blue); color: #fff; cursor: pointer; justify-self: start; margin-top: .75rem; }
button.secondary { background: #fff; color: var(--blue); margin: 0; }
button.danger { background: #fff; color: var(--red); border-color: var(--red); margin: 0; }
button:disabled { opacity: .6; cursor: progress; }
:focus-visible { outline: 4px solid var(--focus); outline-offset: 3px; }
h2:focus { outline: none; }

.binding { container-type: inline-size; text-align: center; background: #eef4ff; border: 3px dashed var(--blue); border-radius: 14px; padding: .75rem 1rem 1rem; margin: .5rem 0 1rem; }
.binding.none { background: var(--grey-bg); border-color: var(--line); font-size: 1.1rem; }
.binding .label { margin: 0; font-weight: 700; color: var(--blue); text-transform: uppercase; letter-spacing: .06em; font-size: .85rem; }
.binding .help { margin: 0; }
.code { font: 800 4.5rem/1.15 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; letter-spacing: .14em; margin: .2rem 0; overflow-wrap: anywhere; }
/* A monospace character is about .6em wide, plus .14em of spacing: six take 4.44em, so 21% of the
   box each keeps them on one line with room to spare; never larger than 90 px. */
.code { font-size: min(4.5rem, 21cqi); padding-left: .14em; }
.code.long { font-size: min(2.6rem, 9cqi); letter-spacing: .06em; padding-left: .06em; }
.live { border-left: 6px solid var(--blue); padding-left: 1rem; margin: 1rem 0; }
.status { font-size: 1.35rem; font-weight: 700; margin: 0; }
.progress { margin: .3rem 0 0; color: var(--muted); }
.countdown { font-size: 1.1rem; margin: .5rem 0 1rem; }
#countdown { font-variant-numeric: tabular-nums; font-weight: 800; font-size: 1.5rem; }
#countdown.urgent { color: var(--red); }
.connection { color: var(--muted); font-size: .8rem; margin-left: 1rem; }
#code-form { background: var(--amber-bg); border: 2px solid var(--amber); border-radius: 12px; padding: .5rem 1rem 1rem; margin: 1rem 0; }
#user-code { font-size: 1.6rem; letter-spacing: .2em; max-width: 14rem; }
.cancel { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: 1rem; }
.cancel .help { margin-top: .4rem; }

.outcome { border-width: 3px; border-left-width: 14px; }
.outcome h2 { font-size: 2.4rem; margin-bottom: .25rem; }
.outcome .icon { display: inline-block; min-width: .9em; }
.outcome .detail { font-size: 1.15rem; margin: 0 0 .5rem; }
.outcome .reason { font-weight: 600; }
.outcome-approved { border-color: var(--green); background: var(--green-bg); }
.outcome-approved h2 { color: var(--green); }
.outcome-denied, .outcome-failed { border-color: var(--red); background: var(--red-bg); }
.outcome-denied h2, .outcome-failed h2 { color: var(--red); }
.outcome-expired { border-color: var(--amber); background: var(--amber-bg); }
.outcome-expired h2 { color: var(--amber); }
.outcome-cancelled { border-color: var(--muted); background: var(--grey-bg); }
.identity { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.5rem; font-size: 1.15rem; margin: 1rem 0 .5rem; }
.identity dt { color: var(--muted); }
.identity dd { margin: 0; font-weight: 700; overflow-wrap: anywhere; }
#personal-number { font-variant-numeric: tabular-nums; letter-spacing: .08em; }
#assurance[title] { text-decoration: underline dotted; text-underline-offset: .2em; cursor: help; }
.reference { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .8rem; margin: 1rem 0 .25rem; }
.reference .label { color: var(--muted); }
#outcome-id { font: 600 .85rem/1.3 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .25rem .45rem; overflow-wrap: anywhere; min-width: 0; }
#copy-id { margin: 0; padding: .3rem 1rem; }
.copy-status { color: var(--green); font-weight: 600; font-size: .9rem; }

.account { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
.who { margin: 0; font-weight: 600; }
.who .role { color: var(--muted); font-weight: 400; }
a.button { display: inline-block; font-weight: 700; min-height: 2.75rem; padding: .55rem 1.4rem; border-radius: 10px; border: 2px solid var(--blue); background: var(--blue); color: #fff; text-decoration: none; margin-top: .5rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td button { margin: 0; padding: .2rem .6rem; min-height: 0; font-size: .85rem; }
#audit-refresh { margin-top: .75rem; }

/* A phone, or a narrow window beside another (30em = 480 px: media queries use the browser's 16 px). */
@media (max-width: 30em) {
  body { padding: .75rem .6rem 2rem; }
  .card { padding: 1rem .9rem; border-radius: 12px; }
  h1 { font-size: 1.35rem; }
  fieldset { padding: .5rem .7rem .8rem; }
  .binding { padding: .6rem .5rem .8rem; }
  .outcome { border-left-width: 8px; }
  .outcome h2 { font-size: 1.8rem; }
  .identity { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .identity dd { margin-bottom: .5rem; }
}
`;
