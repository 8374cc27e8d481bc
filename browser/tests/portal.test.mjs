// The toolbar's pages for the demo customer with a ready account (payer
// 204518): each is checked with axe (WCAG 2.1 AA) and photographed at 360 and
// 1280 px, with JavaScript on and off.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkA11y, closeBrowser, eventually, newPage, screenshot, startServer } from '../lib/harness.mjs';

const T = { timeout: 240_000 };
const PAYER = '204518';
const PASSWORD = 'Brezovica-Voda-2020';

let server;
before(async () => { server = await startServer(); }, T);
after(async () => {
  await closeBrowser();
  await server?.stop();
});

async function signIn(page) {
  await page.goto('/');
  await page.getByLabel('Uporabniško ime', { exact: true }).fill(PAYER);
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await page.locator('main form button[type=submit]').last().click();
  await page.waitForURL('**/home');
}

const PAGES = [
  ['home', '/home', 'Začetna stran'],
  ['point', '/point', 'Odjemno mesto'],
  ['readings', '/readings', 'Odčitki in poraba'],
  ['readings-year', '/readings?period=year', 'Odčitki in poraba'],
  ['prices', '/prices', 'Cenik'],
  ['new-reading', '/readings/new', 'Vnos števnega stanja'],
  ['invoices', '/finance/invoices', 'Izstavljeni računi'],
  ['open-items', '/finance/open-items', 'Stanje odprtih postavk'],
  ['contact', '/contact', 'Stik z nami'],
  ['profile', '/profile', 'Moj profil'],
];

describe('portal pages of a signed-in customer', () => {
  for (const javaScript of [true, false]) {
    const js = javaScript ? 'js' : 'nojs';
    test(`every toolbar page is accessible, JavaScript ${javaScript ? 'on' : 'off'}`, T, async () => {
      const page = await newPage({ javaScript });
      await signIn(page);
      for (const [name, path, heading] of PAGES) {
        const response = await page.goto(path);
        assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
        assert.match(await page.locator('h1').first().innerText(), new RegExp(heading), path);
        await screenshot(page, `portal-${name}-${js}`);
        await checkA11y(page, `portal-${name}-${js}`);
      }
      // An invoice of the list, with its lines.
      await page.goto('/finance/invoices');
      await page.locator('main table a').first().click();
      await page.waitForURL('**/finance/invoices/*');
      await screenshot(page, `portal-invoice-${js}`);
      await checkA11y(page, `portal-invoice-${js}`);
      // The other points, through the chooser.
      const options = await page.locator('#point-choice option').evaluateAll((all) => all.map((o) => o.value));
      assert.ok(options.length >= 3, 'the demo customer has three points');
      const chosen = options[options.length - 1];
      await page.selectOption('#point-choice', chosen);
      await page.locator('.point-chooser button').click();
      // From an invoice (not a page of the toolbar) the chooser leads to "Odjemno mesto".
      await page.waitForURL('**/point');
      await eventually(async () => (await page.locator('#point-choice').inputValue()) === chosen
        && (await page.locator('#point-choice option[selected]').getAttribute('value')) === chosen,
        'the chosen point is shown');
      await screenshot(page, `portal-point-other-${js}`);
      await checkA11y(page, `portal-point-other-${js}`);
      await page.context().close();
    });
  }
});
