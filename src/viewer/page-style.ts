/** The viewer page's style sheet, inline. */
export const PAGE_STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fff; }
header { display: flex; align-items: center; gap: 12px; padding: 6px 10px; border-bottom: 1px solid #ddd; background: #f4f5f7; position: relative; }
header strong { font-size: 14px; }
#file { color: #555; }
#search { flex: 0 1 360px; padding: 4px 8px; border: 1px solid #bbb; border-radius: 4px; font: inherit; }
#results { position: absolute; top: 34px; left: 160px; z-index: 10; list-style: none; margin: 0; padding: 4px 0; width: 420px; max-height: 360px; overflow: auto; background: #fff; border: 1px solid #bbb; box-shadow: 0 4px 14px rgba(0,0,0,.15); }
#results li { padding: 3px 10px; cursor: pointer; }
#results li:hover { background: #e8eefc; }
#status { margin-left: auto; color: #555; font-size: 12px; }
main { display: grid; grid-template-columns: 280px 1fr 340px; height: calc(100% - 40px); }
nav { border-right: 1px solid #ddd; display: flex; flex-direction: column; min-height: 0; }
.pane-title { padding: 6px 10px; font-weight: 600; color: #444; border-bottom: 1px solid #eee; }
#list { position: relative; overflow: auto; flex: 1; }
#list-rows { position: absolute; left: 0; right: 0; }
.row { height: 22px; padding: 2px 8px; display: flex; gap: 8px; align-items: center; cursor: pointer; white-space: nowrap; overflow: hidden; }
.row:hover { background: #f0f3fa; }
.row.group { font-weight: 600; }
.row.flow { padding-left: 22px; }
.row.selected { background: #dfe7fb; }
.row .meta { font-weight: 400; }
.meta { color: #666; font-size: 12px; overflow: hidden; text-overflow: ellipsis; }
#center { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.toolbar { display: flex; align-items: center; gap: 6px; padding: 4px 8px; border-bottom: 1px solid #eee; white-space: nowrap; }
.toolbar .spacer { flex: 1; }
#flame-title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
#range { color: #555; font-size: 12px; }
button { font: inherit; padding: 2px 8px; border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; }
button:hover { background: #eef; }
#flame-box { flex: 1; position: relative; min-height: 120px; overflow: hidden; }
#flame { position: absolute; left: 0; top: 0; cursor: default; }
#chains { max-height: 45%; overflow: auto; border-top: 2px solid #ccd; padding: 6px 10px; }
.chains-head { display: flex; align-items: center; gap: 12px; }
.chains-head h2 { font-size: 14px; margin: 4px 0; flex: 1; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #eee; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.chain-text { white-space: normal; }
tr.chain-row { cursor: pointer; }
tr.chain-row:hover { background: #f0f3fa; }
aside { border-left: 1px solid #ddd; padding: 8px 12px; overflow: auto; }
aside h2 { font-size: 15px; margin: 4px 0 8px; word-break: break-all; }
aside h3 { font-size: 13px; margin: 12px 0 4px; color: #444; }
dl { display: grid; grid-template-columns: 80px 1fr; gap: 3px 8px; margin: 0; }
dt { color: #666; }
dd { margin: 0; word-break: break-all; }
dd.error { color: #b42318; font-weight: 600; }
ol.chain { margin: 0; padding-left: 22px; }
ol.chain li { cursor: pointer; padding: 1px 0; }
ol.chain li:hover .name { text-decoration: underline; }
ol.chain li.current .name { font-weight: 700; }
ol.chain li.hop { border-top: 1px dashed #99a; }
ol.chain .name { margin-right: 6px; word-break: break-all; }
aside button { margin-top: 12px; }
`;
