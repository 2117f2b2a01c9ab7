// Headless-browser check of `vpcreach analyze --format html` (and of `--format mermaid`), run by
// .ci/run with Debian's chromium:
//
//   node tests/browser/check.mjs --html REPORT.html --json REPORT.json [--mermaid DIAGRAM.mmd]...
//                                [--expect-text TEXT]...
//
// REPORT.json is `--format json` of the same snapshot: the page must show exactly its results.
// The page must load without console errors, page errors or any request outside the file; the
// matrix must have one row per workload subnet and one cell per service, coloured by verdict;
// a click on a cell must show that cell's path (hop ids) and diagnostics. Each Mermaid file must
// parse and render with the mermaid package (the renderer GitHub uses). Screenshots go to
// $VPCREACH_SCREENSHOT_DIR or ${TMPDIR:-/tmp}, never into the repository. Exits 1 on any failure.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, runInBrowser, watch } from './common.mjs';

const require = createRequire(import.meta.url);
const tmp = process.env.TMPDIR || '/tmp';
const shotDir = process.env.VPCREACH_SCREENSHOT_DIR || tmp;

function parseArgs(argv) {
  const args = { html: join(tmp, 'vpcreach-report.html'), json: join(tmp, 'vpcreach-report.json'), mermaid: [], expectText: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--html') args.html = value;
    else if (flag === '--json') args.json = value;
    else if (flag === '--mermaid') args.mermaid.push(value);
    else if (flag === '--expect-text') args.expectText.push(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

async function checkReport(browser, htmlPath, report, expectText) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = watch(page, 'report');
  await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });

  const results = report.results;
  const rows = [];
  const services = [];
  for (const r of results) {
    if (!rows.some(([w, s]) => w === r.workload && s === r.subnet_id)) rows.push([r.workload, r.subnet_id]);
    if (!services.includes(r.service)) services.push(r.service);
  }
  const shown = await page.$$eval('#matrix tbody tr', (trs) =>
    trs.map((tr) => ({
      workload: tr.getAttribute('data-workload'),
      subnet: tr.getAttribute('data-subnet'),
      cells: Array.from(tr.querySelectorAll('td')).map((td) => ({
        result: td.getAttribute('data-result'),
        service: td.getAttribute('data-service'),
        className: td.className,
      })),
    })),
  );
  check(shown.length === rows.length, `matrix has ${rows.length} rows (workload subnets), found ${shown.length}`);
  check(
    shown.every((row) => row.cells.length === services.length),
    `every row has ${services.length} cells (services), found ${shown.map((r) => r.cells.length).join(',')}`,
  );
  const header = await page.$$eval('#matrix thead th[data-service]', (ths) => ths.map((th) => th.textContent));
  check(JSON.stringify(header) === JSON.stringify(services), `columns are the services in order: ${header.join(', ')}`);
  check((await page.locator('#status').textContent()) === report.status.toUpperCase(), `status is ${report.status}`);

  // Every cell against the JSON report: same row, same service, same verdict.
  let mismatches = 0;
  results.forEach((r, i) => {
    const row = shown.find((x) => x.workload === r.workload && x.subnet === r.subnet_id);
    const cell = row && row.cells.find((c) => c.result === `r${i}`);
    const ok = cell && cell.service === r.service && cell.className.split(' ').includes(`v-${r.verdict}`);
    if (!ok) {
      mismatches += 1;
      console.log(`     cell r${i} (${r.workload} ${r.subnet_id} ${r.service}) should be ${r.verdict}: ${JSON.stringify(cell)}`);
    }
  });
  check(mismatches === 0, `all ${results.length} cells carry the JSON report's verdict`);
  for (const verdict of ['reachable', 'unreachable', 'unknown']) {
    const expected = results.filter((r) => r.verdict === verdict).length;
    const count = await page.locator(`#matrix td.cell.v-${verdict}`).count();
    check(count === expected, `${expected} ${verdict} cells, found ${count}`);
  }

  check((await page.locator('article.detail:visible').count()) === 0, 'no path is shown before a click');
  // Click the first cell that is not reachable (else the first), then another one.
  const first = Math.max(0, results.findIndex((r) => r.verdict !== 'reachable'));
  const order = [first, ...(results.length > 1 ? [(first + 1) % results.length] : [])];
  for (const i of order) {
    const r = results[i];
    await page.locator(`#matrix td.cell[data-result="r${i}"]`).click();
    const detail = page.locator(`#r${i}`);
    check(await detail.isVisible(), `click on r${i} (${r.subnet_id} ${r.service}) shows its path`);
    check((await page.locator('article.detail:visible').count()) === 1, 'exactly one path is shown');
    const hopIds = await detail.locator('.hop-id').allTextContents();
    const expectedHops = r.path.map((h) => h.resource_id);
    check(JSON.stringify(hopIds) === JSON.stringify(expectedHops), `r${i}: hops ${expectedHops.join(' → ')}`);
    for (const id of expectedHops) {
      if (!(await detail.locator('.hop-id', { hasText: id }).first().isVisible())) {
        check(false, `r${i}: hop ${id} is visible`);
      }
    }
    const codes = await detail.locator('.diag .code').allTextContents();
    const expectedCodes = r.diagnostics.map((d) => d.code);
    check(JSON.stringify(codes) === JSON.stringify(expectedCodes), `r${i}: diagnostics [${expectedCodes.join(', ')}]`);
    if (r.diagnostics.length > 0) {
      const text = await detail.locator('.diag').first().innerText();
      const d = r.diagnostics[0];
      check(text.includes(d.message), `r${i}: ${d.code} message is shown`);
      if (d.help) check(text.includes(d.help), `r${i}: ${d.code} help is shown`);
      const loc = d.locations[0];
      if (loc) check(text.includes(`${loc.file}:${loc.line}:${loc.column}`), `r${i}: ${d.code} location ${loc.file}:${loc.line}:${loc.column}`);
    }
    check(
      (await page.locator(`#matrix td.cell[data-result="r${i}"]`).getAttribute('aria-pressed')) === 'true',
      `r${i}: the clicked cell is marked selected`,
    );
  }

  // Text from the snapshot shows as text (`--expect-text`: a name with markup in it).
  const pageText = await page.locator('body').innerText();
  for (const text of expectText) {
    check(pageText.includes(text), `the page shows ${JSON.stringify(text)} literally`);
    const injected = await page.evaluate(() => document.querySelectorAll('script').length);
    check(injected === 1, `only the page's own script element exists (found ${injected})`);
  }

  const svg = page.locator('#topology svg');
  check((await svg.count()) === 1 && (await svg.isVisible()), 'the topology SVG is drawn');
  const box = await svg.boundingBox();
  check(box !== null && box.width > 100 && box.height > 50, `the topology has a size (${box && Math.round(box.width)}×${box && Math.round(box.height)})`);
  const vpcs = await page.locator('#topology g.vpc').count();
  check(vpcs >= 1, `the topology shows ${vpcs} VPC(s)`);
  const subnetsInSvg = await page.$$eval('#topology g.item.k-subnet', (gs) => gs.map((g) => g.getAttribute('data-id')));
  check(rows.every(([, s]) => subnetsInSvg.includes(s)), 'every workload subnet is in the topology');

  const shot = join(shotDir, 'vpcreach-report.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`     screenshot: ${shot}`);
  check(problems.length === 0, `report: no console errors, page errors or outside requests${problems.length ? `: ${problems.join('; ')}` : ''}`);
  await page.close();
}

async function checkMermaid(browser, file, n) {
  const text = readFileSync(file, 'utf8');
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = watch(page, `mermaid ${file}`);
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const outcome = await page.evaluate(async (source) => {
    try {
      // GitHub renders with the strict security level.
      globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      await globalThis.mermaid.parse(source);
      const { svg } = await globalThis.mermaid.render('diagram', source);
      document.getElementById('out').innerHTML = svg;
      return { ok: true, nodes: document.querySelectorAll('#out g.node').length, edges: document.querySelectorAll('#out path.flowchart-link').length };
    } catch (e) {
      return { ok: false, error: String(e && e.message ? e.message : e) };
    }
  }, text);
  check(outcome.ok, `${file}: Mermaid parses and renders${outcome.ok ? '' : `: ${outcome.error}`}`);
  if (outcome.ok) {
    // Node declarations are the indented `id[` / `id([` lines inside subgraphs.
    const declared = text.split('\n').filter((l) => /^    [A-Za-z0-9_]+\(?\[/.test(l)).length;
    const links = text.split('\n').filter((l) => / (-->|--x|-\.->)/.test(l)).length;
    check(outcome.nodes === declared, `${file}: ${declared} nodes drawn, found ${outcome.nodes}`);
    check(outcome.edges === links, `${file}: ${links} edges drawn, found ${outcome.edges}`);
    const shot = join(shotDir, `vpcreach-mermaid-${n}.png`);
    await page.locator('#out svg').screenshot({ path: shot });
    console.log(`     screenshot: ${shot}`);
  }
  check(problems.length === 0, `${file}: no console errors or outside requests${problems.length ? `: ${problems.join('; ')}` : ''}`);
  await page.close();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const report = JSON.parse(readFileSync(args.json, 'utf8'));
  check(report.schema === 'vpcreach/report/v1' && Array.isArray(report.results) && report.results.length > 0, `${args.json} is a report with results`);
  runInBrowser('browser', async (browser) => {
    await checkReport(browser, args.html, report, args.expectText);
    let n = 0;
    for (const file of args.mermaid) await checkMermaid(browser, file, (n += 1));
  });
}

main();
