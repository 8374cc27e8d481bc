// The newcomer's journey of the manual (SPEC §3.1–3.4): sign-in page →
// "Registracija za nove uporabnike" as payer 123456 with control number
// 202000876 → the activation mail → the activation page and its button →
// sign-in → the GDPR consent → the first page. Every page is checked with
// axe (WCAG 2.1 AA) and photographed at 360 and 1280 px; the journey runs
// with JavaScript on and again, on a fresh server, with JavaScript off.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { closeBrowser, look, newPage, startServer, submitOf } from '../lib/harness.mjs';

const T = { timeout: 240_000 };
const PAYER = '123456';
const CONTROL_NUMBER = '202000876';
const PASSWORD = 'Zelena-Hruska-7';

const servers = [];
after(async () => {
  await closeBrowser();
  for (const server of servers) await server.stop();
});



async function journey(javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const server = await startServer();
  servers.push(server);
  const email = `janez.novak.${js}@example.si`;
  const page = await newPage({ javaScript, width: 1280 });

  await page.goto('/');
  await page.getByRole('link', { name: 'Registracija za nove uporabnike' }).click();
  await page.waitForURL('**/register');
  assert.equal(await page.locator('h1').innerText(), 'Registracija za nove uporabnike');
  await look(page, `register-${js}`);

  // A wrong control number first: one generic message, the form kept.
  await page.getByLabel('Uporabniško ime', { exact: true }).fill(PAYER);
  await page.getByLabel('Elektronski naslov', { exact: true }).fill(email);
  await page.getByLabel('Kontrolna številka', { exact: true }).fill('202000999');
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Ponovi geslo', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(page.locator('main form')).click();
  // The answer is the form again at the same address: wait for its error summary.
  await page.locator('.error-summary').waitFor();
  assert.equal(await page.getByLabel('Uporabniško ime', { exact: true }).inputValue(), PAYER, 'the user name is kept');
  assert.equal(await page.getByLabel('Geslo', { exact: true }).inputValue(), '', 'never the password');
  await look(page, `register-error-${js}`);

  await page.getByLabel('Kontrolna številka', { exact: true }).fill(CONTROL_NUMBER);
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Ponovi geslo', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/register/sent');
  assert.ok(!(await page.locator('.error-summary').count()), 'registration went through');
  await look(page, `register-done-${js}`);

  const mail = await server.waitForMail({ to: email });
  const link = mail.links.find((url) => url.includes('/activate?token='));
  assert.ok(link, `an activation link in: ${mail.text}`);
  await page.goto(link);
  await look(page, `activate-${js}`);
  await submitOf(page.locator('main form')).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.match(await page.locator('main').innerText(), /aktiviran/);
  await look(page, `activated-${js}`);

  await page.getByLabel('Uporabniško ime', { exact: true }).fill(PAYER);
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/consent');
  assert.equal(await page.locator('h1').innerText(), 'Soglasje za obdelavo osebnih podatkov – GDPR');
  await look(page, `consent-${js}`);
  await page.getByRole('button', { name: 'Strinjam se', exact: true }).click();
  await page.waitForURL('**/home');
  assert.match(await page.locator('main').innerText(), /NOVAK JANEZ/);
  await look(page, `home-${js}`);

  await page.getByRole('button', { name: 'Odjava', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.context().close();
}

describe('registration journey', () => {
  test('a newcomer registers, activates, signs in and consents (JavaScript on)', T, () => journey(true));
  test('the same journey with JavaScript off', T, () => journey(false));
});
