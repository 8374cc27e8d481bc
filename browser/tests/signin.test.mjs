// The sign-in page at `/`: Slovenian by default, accessible (WCAG 2.1 AA),
// usable with and without JavaScript, at 360 px and 1280 px, with English
// on request and the security headers in place.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkA11y, closeBrowser, newPage, screenshot, startServer, WIDTHS } from '../lib/harness.mjs';

const T = { timeout: 90_000 }; // per test; the whole file has --test-timeout

let server;
before(async () => { server = await startServer(); }, T);
after(async () => {
  await closeBrowser();
  await server?.stop();
});

/** Effective CSP directives: { 'script-src': ["'self'"], … } */
function parseCsp(header) {
  const directives = {};
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = values;
  }
  return directives;
}

async function expectNoHorizontalScroll(page, width) {
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(scrollWidth <= width,
    `page scrolls sideways at ${width} px: document.documentElement.scrollWidth is ${scrollWidth}`);
}

async function expectSignInForm(page) {
  assert.equal(await page.getAttribute('html', 'lang'), 'sl', '<html lang> should be "sl"');
  const h1 = page.locator('h1');
  assert.ok(await h1.count() >= 1, 'page has no <h1>');
  assert.ok((await h1.first().innerText()).trim().length > 0, '<h1> is empty');
  assert.ok((await page.title()).trim().length > 0, 'page has no <title>');

  const form = page.locator('form').filter({ has: page.getByLabel('Geslo', { exact: true }) });
  assert.equal(await form.count(), 1, 'expected one form with a field labelled "Geslo"');
  const username = form.getByLabel('Uporabniško ime', { exact: true });
  const password = form.getByLabel('Geslo', { exact: true });
  assert.equal(await username.count(), 1, 'expected one field labelled "Uporabniško ime" in the form');
  assert.equal(await password.count(), 1, 'expected one field labelled "Geslo" in the form');
  assert.ok(await username.isVisible(), '"Uporabniško ime" field is not visible');
  assert.equal(await password.getAttribute('type'), 'password', '"Geslo" should be a password field');
  assert.ok(await form.locator('button, input[type=submit]').count() >= 1, 'sign-in form has no submit button');
}

describe('sign-in page (/)', () => {
  test('sends the security headers', T, async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    await res.arrayBuffer();
    assert.equal(res.status, 200, `GET / answered ${res.status}`);

    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, 'no Content-Security-Policy header');
    const directives = parseCsp(csp);
    const scriptSrc = directives['script-src'] ?? directives['default-src'];
    assert.ok(scriptSrc, `CSP restricts no scripts (neither script-src nor default-src): ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), `CSP script-src allows 'unsafe-inline': ${csp}`);

    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('referrer-policy'), 'no Referrer-Policy header');
  });

  for (const javaScript of [true, false]) {
    const js = javaScript ? 'js' : 'nojs';
    for (const width of WIDTHS) {
      test(`is accessible and complete, JavaScript ${javaScript ? 'on' : 'off'}, ${width} px`, T, async () => {
        const page = await newPage({ javaScript, width });
        try {
          const res = await page.goto('/');
          assert.equal(res.status(), 200);
          await expectSignInForm(page);
          await expectNoHorizontalScroll(page, width);
          await screenshot(page, `signin-${js}`, { widths: [width] });
          await checkA11y(page, `signin-${js}`);
        } finally {
          await page.context().close();
        }
      });
    }

    test(`link "English" switches to English, JavaScript ${javaScript ? 'on' : 'off'}`, T, async () => {
      const page = await newPage({ javaScript, width: 360 });
      try {
        await page.goto('/');
        const link = page.getByRole('link', { name: 'English', exact: true });
        assert.equal(await link.count(), 1, 'expected one link named "English"');
        await link.click();
        // The switch answers with a redirect back to this page: wait for the English one.
        await page.locator('html[lang="en"]').waitFor({ state: 'attached', timeout: 10_000 });
        assert.equal(await page.getAttribute('html', 'lang'), 'en', '<html lang> should be "en" after "English"');
        assert.ok(await page.locator('h1').count() >= 1, 'English page has no <h1>');
        await expectNoHorizontalScroll(page, 360);
        await screenshot(page, `signin-en-${js}`);
        await checkA11y(page, `signin-en-${js}`);
      } finally {
        await page.context().close();
      }
    });
  }
});

describe('refusals (a method a page does not take, a form too large)', () => {
  test('are pages in the user\'s language, accessible at both widths', T, async () => {
    const page = await newPage({ javaScript: false, width: 360 });
    try {
      const refused = await page.goto('/sign-out');
      assert.equal(refused.status(), 405);
      assert.equal(await page.getAttribute('html', 'lang'), 'sl');
      assert.equal(await page.locator('h1').innerText(), 'Ta naslov tega ne sprejema');
      assert.equal(await page.getByRole('link', { name: 'Na začetno stran' }).count(), 1);
      await screenshot(page, 'refused-method');
      await checkA11y(page, 'refused-method');
    } finally {
      await page.context().close();
    }
  });
});
