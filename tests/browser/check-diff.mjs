// Headless-browser check of `vpcreach diff --format html`, run by tests/browser/run.sh with
// Debian's chromium:
//
//   node tests/browser/check-diff.mjs --html DIFF.html --json DIFF.json [--expect-text TEXT]...
//
// DIFF.json is `vpcreach diff --format json` of the same inputs: the page must show exactly its
// changes. The page must load without console errors, page errors, dialogs or any request
// outside the file; every cell must carry the change class of the JSON diff (`unchanged` when
// the JSON lists no change); a click on a regressed cell (else the first changed one) must show
// the old and the new path (hop ids as in the JSON diff, with file:line:col) and the diagnostic
// codes that appeared and vanished for that result. Screenshots go to $VPCREACH_SCREENSHOT_DIR or
// ${TMPDIR:-/tmp}, never into the repository. Exits 1 on any failure.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, runInBrowser, watch } from './common.mjs';

const tmp = process.env.TMPDIR || '/tmp';
const shotDir = process.env.VPCREACH_SCREENSHOT_DIR || tmp;

function parseArgs(argv) {
  const args = { html: null, json: null, expectText: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--html') args.html = value;
    else if (flag === '--json') args.json = value;
    else if (flag === '--expect-text') args.expectText.push(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.html || !args.json) throw new Error('--html and --json are required');
  return args;
}

const keyOf = (workload, subnet, service) => JSON.stringify([workload, subnet, service]);
const sorted = (list) => [...list].sort();
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/// The codes of the diff's diagnostics (appeared or vanished) that name this result.
function codesFor(list, c) {
  return sorted(
    list
      .filter((d) => d.results.some((r) => r.workload === c.workload && r.subnet_id === c.subnet_id && r.service === c.service))
      .map((d) => d.code),
  );
}

async function checkSide(detail, which, side, label) {
  const box = detail.locator(`.side.${which}`);
  check(await box.isVisible(), `${label}: the ${which} side is shown`);
  if (!side) {
    check(await box.evaluate((e) => e.classList.contains('absent')), `${label}: the ${which} side says it is absent`);
    return;
  }
  check((await box.getAttribute('data-verdict')) === side.verdict, `${label}: ${which} verdict ${side.verdict}`);
  check(
    (await box.locator(`.verdict-${side.verdict}`).first().isVisible()) === true,
    `${label}: ${which} verdict is visible`,
  );
  // The JSON diff leaves out the subnet and DNS hops (they cannot change); the page shows all.
  const hops = await box.locator('li.hop').evaluateAll((lis) =>
    lis.filter((li) => !['subnet', 'dns'].includes(li.getAttribute('data-kind'))).map((li) => li.querySelector('.hop-id').textContent),
  );
  check(same(hops, side.path), `${label}: ${which} path ${side.path.join(' → ') || '(none)'}, page shows ${hops.join(' → ')}`);
  for (const id of side.path) {
    if (!(await box.locator('.hop-id', { hasText: id }).first().isVisible())) check(false, `${label}: ${which} hop ${id} is visible`);
  }
  const locs = await box.locator('li.hop .loc').allTextContents();
  check(locs.length > 0 && locs.every((l) => /:\d+:\d+$/.test(l)), `${label}: ${which} hops carry file:line:col (${locs[0] || 'none'})`);
  const egress = (await box.locator('.egress').textContent()) || '';
  check(egress === (side.egress || '-'), `${label}: ${which} egress ${side.egress || '-'}`);
}

async function checkDiff(browser, htmlPath, diff, expectText) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const problems = watch(page, 'diff');
  await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });

  check((await page.locator('#status').getAttribute('data-status')) === diff.status, `status is ${diff.status}`);
  const counts = await page.$$eval('#counts li[data-kind]', (lis) => Object.fromEntries(lis.map((li) => [li.getAttribute('data-kind'), Number(li.getAttribute('data-count'))])));
  const kinds = ['became_unreachable', 'became_reachable', 'verdict_changed', 'egress_changed', 'path_changed', 'added', 'removed'];
  const summaryOf = { verdict_changed: 'verdict_changed', egress_changed: 'egress_changed', path_changed: 'path_changed' };
  check(
    kinds.every((k) => counts[k] === diff.summary[summaryOf[k] || k]) &&
      counts.diagnostics_appeared === diff.summary.diagnostics_appeared &&
      counts.diagnostics_vanished === diff.summary.diagnostics_vanished,
    `header counts match the JSON summary: ${JSON.stringify(counts)}`,
  );

  const cells = await page.$$eval('#matrix tbody tr', (trs) =>
    trs.flatMap((tr) =>
      Array.from(tr.querySelectorAll('td.cell')).map((td) => ({
        workload: tr.getAttribute('data-workload'),
        subnet: tr.getAttribute('data-subnet'),
        service: td.getAttribute('data-service'),
        result: td.getAttribute('data-result'),
        className: td.className,
        background: getComputedStyle(td).backgroundColor,
      })),
    ),
  );
  check(cells.length === diff.summary.compared, `${diff.summary.compared} cells (results compared), found ${cells.length}`);
  const expected = new Map(diff.changes.map((c) => [keyOf(c.workload, c.subnet_id, c.service), c]));
  let mismatches = 0;
  for (const cell of cells) {
    const c = expected.get(keyOf(cell.workload, cell.subnet, cell.service));
    const kind = c ? c.kind : 'unchanged';
    const classes = cell.className.split(' ');
    const ok = classes.includes(`ch-${kind}`) && classes.includes('regression') === Boolean(c && c.is_regression);
    if (!ok) {
      mismatches += 1;
      console.log(`     cell ${cell.workload} ${cell.subnet} ${cell.service} should be ${kind}: ${cell.className}`);
    }
  }
  check(mismatches === 0, `every cell carries the JSON diff's change (${diff.changes.length} changed)`);
  const shownKeys = new Set(cells.map((c) => keyOf(c.workload, c.subnet, c.service)));
  check(diff.changes.every((c) => shownKeys.has(keyOf(c.workload, c.subnet_id, c.service))), 'every change of the JSON diff has a cell');
  // Regressions are red: the same background as an unreachable cell of the analyze page.
  const red = cells.filter((c) => c.className.split(' ').includes('ch-became_unreachable')).map((c) => c.background);
  check(red.every((b) => b === 'rgb(255, 205, 210)'), `became-unreachable cells are red (${red[0] || 'none'})`);
  const colours = new Map();
  for (const c of cells) colours.set(c.className.split(' ').find((x) => x.startsWith('ch-')), c.background);
  check(new Set(colours.values()).size === colours.size, `each change kind has its own colour: ${JSON.stringify([...colours])}`);

  check((await page.locator('article.detail:visible').count()) === 0, 'no detail is shown before a click');
  const target = diff.changes.find((c) => c.is_regression) || diff.changes[0];
  const others = diff.changes.filter((c) => c !== target).slice(0, 1);
  for (const c of [target, ...others]) {
    const label = `${c.workload} ${c.subnet_id} ${c.service} (${c.kind})`;
    const cell = cells.find((x) => x.workload === c.workload && x.subnet === c.subnet_id && x.service === c.service);
    await page.locator(`#matrix td.cell[data-result="${cell.result}"]`).click();
    const detail = page.locator(`#${cell.result}`);
    check(await detail.isVisible(), `click on ${label} shows its detail`);
    check((await page.locator('article.detail:visible').count()) === 1, 'exactly one detail is shown');
    check((await detail.getAttribute('data-change')) === c.kind, `${label}: the detail names the change`);
    await checkSide(detail, 'old', c.old, label);
    await checkSide(detail, 'new', c.new, label);
    const appeared = sorted(await detail.locator('ul.appeared .diag .code').allTextContents());
    const vanished = sorted(await detail.locator('ul.vanished .diag .code').allTextContents());
    const wantAppeared = codesFor(diff.diagnostics.appeared, c);
    const wantVanished = codesFor(diff.diagnostics.vanished, c);
    check(same(appeared, wantAppeared), `${label}: appeared [${wantAppeared.join(', ')}], page [${appeared.join(', ')}]`);
    check(same(vanished, wantVanished), `${label}: vanished [${wantVanished.join(', ')}], page [${vanished.join(', ')}]`);
    if (c.is_regression) check(wantAppeared.length > 0, `${label}: a regression shows at least one appeared diagnostic`);
    check(
      (await page.locator(`#matrix td.cell[data-result="${cell.result}"]`).getAttribute('aria-pressed')) === 'true',
      `${label}: the clicked cell is marked selected`,
    );
    if (c === target) {
      const shot = join(shotDir, 'vpcreach-diff.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`     screenshot: ${shot}`);
    }
  }

  // The run-wide lists: every appeared / vanished code of the JSON diff.
  for (const which of ['appeared', 'vanished']) {
    const codes = sorted(await page.locator(`#${which} .diag .code`).allTextContents());
    const want = sorted(diff.diagnostics[which].map((d) => d.code));
    check(same(codes, want), `${which} overall: [${want.join(', ')}]`);
  }

  const pageText = await page.locator('body').innerText();
  for (const text of expectText) {
    check(pageText.includes(text), `the page shows ${JSON.stringify(text)} literally`);
  }
  const scripts = await page.evaluate(() => document.querySelectorAll('script').length);
  check(scripts === 1, `only the page's own script element exists (found ${scripts})`);
  check(problems.length === 0, `diff: no console errors, page errors, dialogs or outside requests${problems.length ? `: ${problems.join('; ')}` : ''}`);
  await page.close();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const diff = JSON.parse(readFileSync(args.json, 'utf8'));
  check(diff.schema === 'vpcreach/diff/v1' && diff.changes.length > 0, `${args.json} is a diff with changes`);
  runInBrowser('browser (diff)', async (browser) => {
    await checkDiff(browser, args.html, diff, args.expectText);
  });
}

main();
