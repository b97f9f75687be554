/**
 * The dashboard page: one HTML document, one stylesheet, one script, served
 * as static text (no build step, no CDN: it works offline). The script is
 * {@link dashboardApp}, type-checked here and sent as its source text; it
 * must stay self-contained (it runs in the browser, where nothing else of
 * this module exists).
 *
 * Data goes into the document with `textContent` and `createElement` only,
 * never as markup, so an annotation holding `<script>` shows as text. The
 * server's Content-Security-Policy allows no inline script either.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgress dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/style.css">
</head>
<body>
<header>
  <h1>edgress</h1>
  <span id="mode" class="badge"></span>
  <input id="search" type="search" placeholder="Search hosts, paths, Ingresses, Services, diagnostics" aria-label="Search" autocomplete="off">
  <span id="updated" class="muted"></span>
</header>
<main>
  <section id="summary" aria-label="Summary"></section>
  <section aria-labelledby="routes-title"><h2 id="routes-title">Routes by host</h2><div id="hosts"></div></section>
  <section aria-labelledby="diagnostics-title"><h2 id="diagnostics-title">Diagnostics</h2>
    <table id="diagnostics"><thead><tr><th>Severity</th><th>Code</th><th>Object</th><th>Annotation / field</th><th>Message</th></tr></thead><tbody></tbody></table></section>
  <section aria-labelledby="errors-title"><h2 id="errors-title">Recent errors</h2>
    <table id="recent-errors"><thead><tr><th>Time</th><th>Status</th><th>Method</th><th>Host</th><th>Path rule</th><th>Edge error</th></tr></thead><tbody></tbody></table></section>
  <section aria-labelledby="publications-title"><h2 id="publications-title">Publications</h2>
    <table id="publications"><thead><tr><th>Version</th><th>Published</th><th>Routes</th><th>State</th><th>Roll back</th></tr></thead><tbody></tbody></table></section>
  <section aria-labelledby="edge-title"><h2 id="edge-title">Edge hosts</h2><p id="edge-hosts" class="muted"></p><table id="edge-host-rows"><thead><tr><th>host</th><th>state</th><th>via</th><th>zone</th><th>detail</th></tr></thead><tbody></tbody></table></section>
</main>
<script src="/dashboard/app.js" defer></script>
</body>
</html>
`;

export const DASHBOARD_STYLE = `
:root { --fg: #1d2430; --muted: #667085; --line: #e3e7ee; --bg: #f6f8fb; --card: #fff; --ok: #1f7a4d; --warn: #a15c00; --bad: #b42318; --accent: #2f5bd3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { position: sticky; top: 0; z-index: 1; display: flex; gap: 12px; align-items: center; padding: 10px 20px; background: #111827; color: #fff; }
header h1 { margin: 0; font-size: 18px; letter-spacing: .5px; }
#search { flex: 1; max-width: 520px; padding: 6px 10px; border-radius: 6px; border: 1px solid #4b5563; background: #1f2937; color: #fff; }
main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
h2 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
h3 { margin: 0; font-size: 15px; }
.muted { color: var(--muted); }
header .muted { color: #9ca3af; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e8eefc; color: var(--accent); font-size: 12px; }
header .badge { background: #374151; color: #d1d5db; }
#summary { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 4px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 140px; }
.stat .value { font-size: 22px; font-weight: 600; }
.stat .label { color: var(--muted); font-size: 12px; }
.note { flex-basis: 100%; color: var(--muted); font-size: 12px; }
.problem { flex-basis: 100%; color: var(--bad); }
.host { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px; overflow: hidden; }
.host > header { position: static; background: #f1f4f9; color: var(--fg); padding: 8px 12px; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; padding: 6px 10px; border-top: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; border-top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rule { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.endpoint, .middleware { display: block; font-size: 12px; }
.middleware { color: var(--accent); }
.unavailable { color: var(--bad); font-size: 12px; }
.bad { color: var(--bad); font-weight: 600; }
.warnc { color: var(--warn); font-weight: 600; }
.error-row td:first-child { color: var(--bad); font-weight: 600; }
.warning-row td:first-child { color: var(--warn); font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; background: #f1f4f9; padding: 1px 4px; border-radius: 4px; }
svg.chart { display: block; }
svg.chart .bar { fill: #9db4f0; }
svg.chart .bar.err { fill: #f59e8b; }
svg.chart .p95 { fill: none; stroke: #b42318; stroke-width: 1; }
.hidden { display: none; }
`;

/**
 * The page's script, sent as its source text: it must stay self-contained,
 * and every named function is a method of `ui` (a bundler's `keepNames`, as
 * in the agent image, wraps named function values in a helper of its own,
 * which would not exist in the browser; methods and inline callbacks it
 * leaves alone; `page.test.ts` checks the bundled script).
 */
export function dashboardApp(): void {
  type Json = Record<string, any>;
  let data: Json | undefined;
  const ui = {
    byId(id: string): HTMLElement {
      return document.getElementById(id) as HTMLElement;
    },
    search(): HTMLInputElement {
      return ui.byId('search') as HTMLInputElement;
    },
    el(tag: string, className?: string, ...children: (Node | string | number)[]): HTMLElement {
      const node = document.createElement(tag);
      if (className) node.className = className;
      for (const child of children) node.append(typeof child === 'number' ? String(child) : child);
      return node;
    },
    ms(value: number): string {
      return (value >= 100 ? value.toFixed(0) : value.toFixed(1)) + ' ms';
    },
    count(value: number): string {
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    },
    matches(query: string, ...texts: string[]): boolean {
      return query === '' || texts.some((text) => String(text).toLowerCase().includes(query));
    },

    chart(series: Json[]): SVGElement {
      const ns = 'http://www.w3.org/2000/svg';
      const width = 120;
      const height = 28;
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('class', 'chart');
      svg.setAttribute('width', String(width));
      svg.setAttribute('height', String(height));
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      svg.setAttribute('role', 'img');
      const now = Math.floor(Date.now() / 60000) * 60000;
      const max = Math.max(1, ...series.map((point) => point['requests'] as number));
      const maxP95 = Math.max(1, ...series.map((point) => point['p95Ms'] as number));
      const slot = width / 60;
      const line: string[] = [];
      for (const point of series) {
        const age = Math.round((now - (point['minute'] as number)) / 60000);
        if (age < 0 || age >= 60) continue;
        const x = (59 - age) * slot;
        const h = Math.max(1, ((point['requests'] as number) / max) * (height - 2));
        const bar = document.createElementNS(ns, 'rect');
        bar.setAttribute('class', (point['errors'] as number) > 0 ? 'bar err' : 'bar');
        bar.setAttribute('x', x.toFixed(1));
        bar.setAttribute('y', (height - h).toFixed(1));
        bar.setAttribute('width', Math.max(1, slot - 0.4).toFixed(1));
        bar.setAttribute('height', h.toFixed(1));
        svg.append(bar);
        line.push(`${(x + slot / 2).toFixed(1)},${(height - 1 - ((point['p95Ms'] as number) / maxP95) * (height - 4)).toFixed(1)}`);
      }
      if (line.length > 1) {
        const path = document.createElementNS(ns, 'polyline');
        path.setAttribute('class', 'p95');
        path.setAttribute('points', line.join(' '));
        svg.append(path);
      }
      const title = document.createElementNS(ns, 'title');
      title.textContent = 'Requests per minute over the last hour (bars; red: minutes with 5xx), p95 latency (line)';
      svg.append(title);
      return svg;
    },

    routeRow(route: Json, query: string, hostMatched: boolean): HTMLElement | undefined {
      const el = ui.el;
      const service = route['service'] as Json;
      const endpoints = service['endpoints'] as Json[];
      const middlewares = route['middlewares'] as Json[];
      const texts = [route['rule'], route['ingress'], route['sourceKind'], route['id'], service['name'], ...middlewares.map((m) => `${m['kind']} ${JSON.stringify(m['config'])}`), ...endpoints.map((e) => `${e['address']} ${e['pod'] ?? ''}`)];
      if (!hostMatched && !ui.matches(query, ...(texts as string[]))) return undefined;
      const stats = route['statistics'] as Json | null;
      const row = el('tr', 'route');
      row.dataset['route'] = route['id'];
      row.append(el('td', 'rule', route['rule'], route['isDefault'] ? el('span', 'badge', ' default backend') : ''));
      row.append(el('td', 'ingress', route['sourceKind'] === 'HTTPRoute' ? el('span', 'badge', 'HTTPRoute ') : '', route['ingress']));
      const middlewareCell = el('td', 'middlewares');
      for (const middleware of middlewares) {
        const item = el('span', 'middleware', middleware['kind']);
        item.title = JSON.stringify(middleware['config'], null, 1);
        middlewareCell.append(item);
      }
      if (middlewares.length === 0) middlewareCell.append(el('span', 'muted', '—'));
      row.append(middlewareCell);
      const serviceCell = el('td', 'service', el('span', '', service['name']));
      if (service['unavailable']) serviceCell.append(el('span', 'unavailable', service['unavailable']));
      for (const endpoint of endpoints) serviceCell.append(el('span', 'endpoint', `${endpoint['address']}${endpoint['pod'] ? ` (${endpoint['pod']})` : ''} ×${endpoint['weight']}`));
      row.append(serviceCell);
      const served = stats !== null && stats['requests'] > 0;
      row.append(el('td', 'num requests', stats ? ui.count(stats['requests']) : '0'));
      row.append(el('td', `num status-4xx${stats && stats['status4xx'] > 0 ? ' warnc' : ''}`, stats ? ui.count(stats['status4xx']) : '0'));
      row.append(el('td', `num status-5xx${stats && stats['status5xx'] > 0 ? ' bad' : ''}`, stats ? ui.count(stats['status5xx']) : '0'));
      row.append(el('td', 'num p50', served ? ui.ms(stats['p50Ms']) : '—'));
      row.append(el('td', 'num p95', served ? ui.ms(stats['p95Ms']) : '—'));
      const chartCell = el('td', 'chart-cell');
      chartCell.append(ui.chart(stats ? (stats['series'] as Json[]) : []));
      row.append(chartCell);
      return row;
    },

    renderHosts(query: string): void {
      const el = ui.el;
      const container = ui.byId('hosts');
      container.replaceChildren();
      for (const host of data!['hosts'] as Json[]) {
        const hostMatched = query !== '' && ui.matches(query, host['host']);
        const rows = (host['routes'] as Json[]).map((route) => ui.routeRow(route, query, hostMatched)).filter((row): row is HTMLElement => row !== undefined);
        if (rows.length === 0) continue;
        const card = el('section', 'host');
        card.dataset['host'] = host['host'];
        card.append(el('header', '', el('h3', 'host-name', host['host'])));
        const table = el('table');
        const head = el('tr');
        for (const name of ['Path rule', 'Ingress or HTTPRoute', 'Middlewares', 'Service and endpoints', `Requests (${Math.round(data!['statistics']['window_seconds'] / 60)} min)`, '4xx', '5xx', 'p50', 'p95', 'Last hour']) head.append(el('th', '', name));
        table.append(el('thead', '', head), el('tbody', '', ...rows));
        card.append(table);
        container.append(card);
      }
      if (container.childElementCount === 0) container.append(el('p', 'muted', query ? 'Nothing matches the search.' : 'No routes: nothing is compiled yet, or no Ingress is served.'));
      const unmatched = (data!['unmatched'] as Json[]).filter((stats) => ui.matches(query, stats['host']));
      if (unmatched.length > 0) {
        const list = el('p', 'muted unmatched', 'Answered without a route (no host or path matched, bad path, no table), last 5 min: ');
        list.append(unmatched.map((stats) => `${stats['host']} ${ui.count(stats['requests'])}`).join(', '));
        container.append(list);
      }
    },

    stat(id: string, value: string, label: string): HTMLElement {
      const box = ui.el('div', 'stat', ui.el('div', 'value', value), ui.el('div', 'label', label));
      box.id = id;
      return box;
    },

    renderSummary(): void {
      const statistics = data!['statistics'] as Json;
      const window = statistics['window'] as Json;
      const codes = Object.entries(window['statusCodes'] as Record<string, number>);
      const in4xx = codes.filter(([code]) => Number(code) >= 400 && Number(code) < 500).reduce((total, [, n]) => total + n, 0);
      const in5xx = codes.filter(([code]) => Number(code) >= 500).reduce((total, [, n]) => total + n, 0);
      const minutes = Math.round(statistics['window_seconds'] / 60);
      const hosts = data!['hosts'] as Json[];
      const routeCount = hosts.reduce((total, host) => total + (host['routes'] as Json[]).length, 0);
      const summary = ui.byId('summary');
      summary.replaceChildren(
        ui.stat('total-requests', ui.count(window['count']), `requests, last ${minutes} min`),
        ui.stat('total-4xx', ui.count(in4xx), '4xx'),
        ui.stat('total-5xx', ui.count(in5xx), '5xx'),
        ui.stat('total-all', ui.count((statistics['totals'] as Json)['count']), `requests, ${statistics['totals_scope']}`),
        ui.stat('host-count', String(hosts.length), `hosts, ${routeCount} routes`),
        ui.stat('diagnostic-count', String((data!['diagnostics'] as Json[]).length), 'diagnostics'),
      );
      const note = statistics['source'] === 'dev'
        ? 'Exact figures: every request edgress dev served.'
        : statistics['source'] === 'analytics-engine'
          ? 'Sampled estimates from Workers Analytics Engine (busy routes are sampled).'
          : 'No edge statistics configured.';
      summary.append(ui.el('div', 'note', note));
      if (statistics['problem']) summary.append(ui.el('div', 'problem', `Statistics: ${statistics['problem']}`));
    },

    renderTable(id: string, rows: HTMLElement[], empty: string, columns: number): void {
      const body = ui.byId(id).querySelector('tbody') as HTMLElement;
      body.replaceChildren(...rows);
      if (rows.length === 0) {
        const cell = ui.el('td', 'muted', empty);
        cell.setAttribute('colspan', String(columns));
        body.append(ui.el('tr', 'empty', cell));
      }
    },

    render(): void {
      if (!data) return;
      const el = ui.el;
      const query = ui.search().value.trim().toLowerCase();
      ui.byId('mode').textContent = data['mode'] === 'dev' ? 'edgress dev' : 'agent';
      ui.byId('updated').textContent = `updated ${new Date(data['generatedAt']).toLocaleTimeString()}`;
      ui.renderSummary();
      ui.renderHosts(query);
      const diagnostics = (data['diagnostics'] as Json[]).filter((d) => ui.matches(query, d['code'], d['object'], d['field'], d['message']));
      ui.renderTable('diagnostics', diagnostics.map((d) =>
        el('tr', `diagnostic ${d['severity']}-row`, el('td', '', d['severity']), el('td', '', d['code']), el('td', 'object', d['object']), el('td', 'rule field', d['field']), el('td', 'message', d['message']))), 'No diagnostics.', 5);
      const errors = (data['statistics']['recentErrors'] as Json[]).filter((e) => ui.matches(query, e['host'], e['path'], String(e['status'])));
      ui.renderTable('recent-errors', errors.map((e) =>
        el('tr', '', el('td', '', new Date(e['time']).toLocaleTimeString()), el('td', 'bad', e['status']), el('td', '', e['method']), el('td', '', e['host']), el('td', 'rule', e['path']), el('td', '', e['error']))), 'No errors.', 6);
      ui.renderTable('publications', (data['publications'] as Json[]).map((p) => {
        const command = p['rollback'] ? el('code', 'rollback', p['rollback']) : el('span', 'muted', p['inForce'] ? '—' : 'not kept for rollback here');
        return el('tr', 'publication', el('td', 'rule', String(p['version']).slice(0, 12)), el('td', '', new Date(p['at']).toLocaleString()), el('td', 'num', p['routes']), el('td', '', p['inForce'] ? el('span', 'badge', 'in force') : 'replaced'), el('td', '', command));
      }), 'Nothing published yet.', 5);
      ui.byId('edge-hosts').textContent = data['edgeHosts']['message'];
      const edgeHosts = (data['edgeHosts']['hosts'] as Json[]).filter((h) => ui.matches(query, h['host'], h['status'], h['detail']));
      ui.renderTable('edge-host-rows', edgeHosts.map((h) =>
        el('tr', 'edge-host', el('td', 'rule', h['host']), el('td', '', h['status']), el('td', '', h['via'] ?? ''), el('td', '', h['zone'] ?? ''), el('td', 'message', h['detail']))), 'No hosts.', 5);
    },

    async refresh(): Promise<void> {
      try {
        const response = await fetch('/api/edgress/overview', { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        data = (await response.json()) as Json;
        ui.render();
      } catch (error) {
        ui.byId('updated').textContent = `cannot reach the dashboard API (${error instanceof Error ? error.message : String(error)})`;
      }
    },
  };

  ui.search().addEventListener('input', () => ui.render());
  void ui.refresh();
  setInterval(() => void ui.refresh(), 2000);
}

/** The script as served. */
export const DASHBOARD_SCRIPT = `'use strict';\n(${dashboardApp.toString()})();\n`;
