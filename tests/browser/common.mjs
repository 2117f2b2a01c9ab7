// What check.mjs and check-diff.mjs share: the pass/fail tally, the watch on a page's console,
// errors, dialogs and requests, and the chromium run that prints the summary and sets the exit
// code.

import { chromium } from 'playwright-core';

const browserPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let passed = 0;
let failed = 0;

export function check(condition, what) {
  if (condition) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}`);
  }
}

/// Console errors, page errors, dialogs (an injected alert() opens one) and every request that
/// is not the file itself or inline data.
export function watch(page, label) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${label}: console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`${label}: page error: ${err.message}`));
  page.on('dialog', async (dialog) => {
    problems.push(`${label}: a dialog opened: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('about:')) {
      problems.push(`${label}: request outside the file: ${url}`);
    }
  });
  return problems;
}

/// Runs `body(browser)` in headless chromium, then prints `<title>: N passed, N failed` and exits
/// 1 when anything failed (a thrown error counts as a failure).
export function runInBrowser(title, body) {
  (async () => {
    const browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
    try {
      await body(browser);
    } finally {
      await browser.close();
    }
  })()
    .catch((e) => {
      failed += 1;
      console.log(`FAIL ${e && e.stack ? e.stack : e}`);
    })
    .finally(() => {
      console.log(`${title}: ${passed} passed, ${failed} failed`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}
