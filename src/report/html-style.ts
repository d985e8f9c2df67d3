// The HTML report's own style sheet, inlined into every page html.ts writes (allowed by
// the page's Content-Security-Policy through its sha256 hash, like the script).

export const PAGE_STYLE = `
:root { --ok:#1a7f37; --change:#9a6700; --changed:#0550ae; --failed:#cf222e; --unreach:#8250df; --skip:#6e7781; --line:#d0d7de; --bg-ok:#dafbe1; --bg-change:#fff8c5; --bg-changed:#ddf4ff; --bg-failed:#ffebe9; --bg-unreach:#fbefff; --bg-skip:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header, .filters, .legend { padding: 12px 20px; }
h1 { font-size: 20px; margin: 0 0 6px; }
h1 code { font-size: 18px; }
dl.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 10px; }
dl.meta div { display: flex; gap: 6px; }
dl.meta dt { color: #59636e; }
dl.meta dd { margin: 0; font-weight: 600; }
p.rollout { font-weight: 600; border: 1px solid currentColor; border-radius: 6px; padding: 6px 12px; }
ul.totals { list-style: none; display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; }
ul.totals li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 110px; }
ul.totals b { display: block; font-size: 22px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 20px; align-items: end; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); background: #f6f8fa; position: sticky; top: 0; z-index: 3; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 10px; flex-wrap: wrap; }
.filters legend { font-weight: 600; padding: 0; margin-bottom: 2px; }
.filters label { display: flex; flex-direction: column; font-weight: 600; gap: 2px; }
.filters fieldset label { flex-direction: row; font-weight: normal; gap: 4px; align-items: center; }
.filters input[type=text], .filters input[type=search], .filters select { font: inherit; padding: 3px 6px; min-width: 14em; }
#shown { color: #59636e; }
main { display: flex; align-items: flex-start; gap: 16px; padding: 0 20px 20px; }
.matrix-wrap { overflow: auto; max-height: calc(100vh - 60px); flex: 1 1 auto; border: 1px solid var(--line); margin-top: 12px; }
table.matrix { border-collapse: separate; border-spacing: 0; font-size: 13px; }
.matrix th, .matrix td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 0 8px; height: 30px; white-space: nowrap; text-align: left; }
.matrix thead th { position: sticky; top: 0; background: #f6f8fa; z-index: 2; height: auto; padding: 6px 8px; vertical-align: bottom; font-weight: 600; }
.matrix thead th .num { display: block; color: #59636e; font-weight: normal; }
.matrix thead th .name { display: block; max-width: 11em; overflow: hidden; text-overflow: ellipsis; }
.matrix th[scope=row] { position: sticky; left: 0; background: #fff; z-index: 1; font-weight: normal; max-width: 22em; overflow: hidden; text-overflow: ellipsis; }
.matrix thead th.hosts-head { left: 0; z-index: 4; }
.matrix td { cursor: pointer; }
.matrix td:focus, .matrix th:focus { outline: 3px solid #0969da; outline-offset: -3px; }
.matrix tr.placeholder td { border: 0; cursor: default; }
.count { color: #59636e; margin-left: 4px; }
.st { font-weight: 600; }
.st-ok { color: var(--ok); } td.st-ok { background: var(--bg-ok); }
.st-would-change, .st-changed-host { color: var(--change); } td.st-would-change, td.st-changed-host { background: var(--bg-change); }
.st-changed { color: var(--changed); } td.st-changed { background: var(--bg-changed); }
.st-failed { color: var(--failed); } td.st-failed { background: var(--bg-failed); }
.st-ignored { color: var(--change); } td.st-ignored { background: var(--bg-skip); }
.st-unreachable { color: var(--unreach); } td.st-unreachable { background: var(--bg-unreach); }
.st-skipped, .st-not-run, .st-interrupted { color: var(--skip); } td.st-skipped, td.st-not-run, td.st-interrupted { background: var(--bg-skip); }
aside#detail { flex: 0 0 44%; max-width: 44%; margin-top: 12px; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; max-height: calc(100vh - 60px); overflow: auto; position: sticky; top: 60px; }
aside#detail h2 { font-size: 16px; margin: 0 0 8px; }
aside#detail h3 { font-size: 14px; margin: 14px 0 6px; }
aside#detail button.close { float: right; font: inherit; }
aside#detail pre { background: #f6f8fa; padding: 8px; overflow: auto; white-space: pre-wrap; }
aside#detail table { border-collapse: collapse; font-size: 13px; }
aside#detail td, aside#detail th { border: 1px solid var(--line); padding: 2px 8px; text-align: left; }
.value { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: 0 3px; white-space: pre-wrap; word-break: break-all; }
ul.changes { padding-left: 18px; }
.legend ul { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 4px 0 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.d2h-file-header { display: none; }
@media print {
  .filters, aside#detail, noscript { display: none !important; }
  body { font-size: 10px; }
  .matrix-wrap { overflow: visible; max-height: none; border: 0; }
  .matrix thead th, .matrix th[scope=row] { position: static; }
  .matrix th, .matrix td { height: auto; padding: 1px 4px; border-color: #000; background: #fff !important; color: #000 !important; }
  .matrix thead { display: table-header-group; }
  .matrix tr { break-inside: avoid; }
  ul.totals li { border-color: #000; }
}
`;
