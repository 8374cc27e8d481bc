// The demo customer (payer 204518) through the toolbar, doing what the
// manual's users do: a too-low reading (refused), an implausible one (asks to
// confirm), a good one (confirmation page and e-mail); an invoice and its PDF;
// the open items with the UPN QR; a message to the company; a new name, phone,
// e-mail and password; then signing out and in with the new password. Every
// page is checked with axe and photographed at 360 and 1280 px, with
// JavaScript on and again, on a fresh server, off.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { closeBrowser, look, newPage, startServer, submitOf } from '../lib/harness.mjs';

const T = { timeout: 300_000 };
const PAYER = '204518';
const OLD_PASSWORD = 'Brezovica-Voda-2020';
const NEW_PASSWORD = 'Kamnik-Pod-Krimom-6';

const servers = [];
after(async () => {
  await closeBrowser();
  for (const server of servers) await server.stop();
});



async function signIn(page, password) {
  await page.goto('/');
  await page.getByLabel('Uporabniško ime', { exact: true }).fill(PAYER);
  await page.getByLabel('Geslo', { exact: true }).fill(password);
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/home');
}

/** "1.234,567 m³ …" → 1234.567 */
function firstVolume(text) {
  const match = /(\d{1,3}(?:\.\d{3})*,\d{3})/.exec(text);
  assert.ok(match, `no reading value in: ${text}`);
  return Number(match[1].replace(/\./g, '').replace(',', '.'));
}

const asTyped = (value) => value.toFixed(3).replace('.', ',');

async function journey(javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const server = await startServer();
  servers.push(server);
  const page = await newPage({ javaScript });
  await signIn(page, OLD_PASSWORD);
  await look(page, `journey-home-${js}`);

  // Vnos števnega stanja
  await page.locator('nav.toolbar').getByRole('link', { name: 'Vnos števnega stanja' }).click();
  await page.waitForURL('**/readings/new');
  const last = firstVolume(await page.locator('aside dl dd').first().innerText());
  const value = page.getByLabel('Števno stanje', { exact: true });
  await value.fill(asTyped(Math.max(last - 10, 0)));
  await submitOf(page.locator('main form').first()).click();
  // The answer is the form again (same address): wait for what only the answer has.
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /nižje|manjš|zadnj/i, 'a too-low reading is refused');
  await look(page, `journey-reading-low-${js}`);

  await page.getByLabel('Števno stanje', { exact: true }).fill(asTyped(last + 3000));
  await submitOf(page.locator('main form').first()).click();
  await page.getByRole('button', { name: 'Potrjujem odčitek' }).waitFor();
  await look(page, `journey-reading-confirm-${js}`);

  await page.goto('/readings/new');
  await page.getByLabel('Števno stanje', { exact: true }).fill(asTyped(last + 0.5));
  await submitOf(page.locator('main form').first()).click();
  await page.waitForURL('**/readings/submitted/*');
  await look(page, `journey-reading-done-${js}`);
  await server.waitForMail({ to: 'mojca.kovacic@example.com' });

  // Finance: an invoice and its PDF, then the open items with the payment code.
  await page.locator('nav.toolbar').getByRole('link', { name: 'Izstavljeni računi' }).click();
  await page.waitForURL('**/finance/invoices');
  await page.locator('main table a').first().click();
  await page.waitForURL('**/finance/invoices/*');
  await look(page, `journey-invoice-${js}`);
  const pdfLink = page.getByRole('link', { name: 'Prenesi račun (PDF)' });
  if (await pdfLink.count()) {
    const pdf = await page.request.get(await pdfLink.getAttribute('href'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-');
  } else {
    assert.fail('the newest invoice of the demo customer has a PDF');
  }
  await page.locator('nav.toolbar').getByRole('link', { name: 'Stanje odprtih postavk' }).click();
  await page.waitForURL('**/finance/open-items');
  // The demo customer always owes the latest invoice (docs/demo.md): the UPN QR is there.
  assert.equal(await page.locator('main figure svg').count(), 1, 'the UPN QR code of the balance');
  assert.equal(await page.getByText('Nimate odprtih postavk.').count(), 0);
  await look(page, `journey-open-items-${js}`);

  // Stik z nami
  await page.locator('nav.toolbar').getByRole('link', { name: 'Stik z nami' }).click();
  await page.waitForURL('**/contact');
  await page.getByLabel('Sporočilo', { exact: true }).fill('Prosim za termin menjave števca.');
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/contact/sent');
  await page.getByRole('heading', { name: 'Hvala za vaše sporočilo' }).waitFor();
  await look(page, `journey-contact-sent-${js}`);
  await server.waitForMail({ to: 'info@jkp-brezovica.si' });

  // Moj profil: name and phone, e-mail, password.
  await page.locator('nav.toolbar').getByRole('link', { name: 'Moj profil' }).click();
  await page.waitForURL('**/profile');
  await page.getByLabel('Naziv uporabnika', { exact: true }).fill('Mojca K.');
  await page.getByLabel('Telefon', { exact: true }).fill('041 123 456');
  await page.locator('form[action="/profile/name"] button').click();
  await page.waitForURL('**/profile?saved=name');
  assert.match(await page.locator('header').innerText(), /Mojca K\./);
  await look(page, `journey-profile-saved-${js}`);

  const newEmail = `mojca.${js}@example.si`;
  await page.getByLabel('Nov elektronski naslov', { exact: true }).fill(newEmail);
  await page.locator('form[action="/profile/email"] button').click();
  await page.waitForURL('**/profile?saved=email');
  const mail = await server.waitForMail({ to: newEmail });
  const link = mail.links.find((url) => url.includes('/email/confirm?token='));
  assert.ok(link, `a confirmation link in: ${mail.text}`);
  await page.goto(link);
  await look(page, `journey-email-confirm-${js}`);
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/home');

  await page.goto('/profile');
  await page.getByLabel('Obstoječe geslo', { exact: true }).fill(OLD_PASSWORD);
  await page.getByLabel('Novo geslo', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Ponovi novo geslo', { exact: true }).fill(NEW_PASSWORD);
  await page.locator('form[action="/profile/password"] button').click();
  await page.waitForURL('**/profile?saved=password');
  assert.ok(!(await page.locator('.error-summary').count()), 'the password was changed');
  await look(page, `journey-password-changed-${js}`);

  await page.getByRole('button', { name: 'Odjava', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await signIn(page, NEW_PASSWORD);
  await page.context().close();
}

describe('the demo customer through the toolbar', () => {
  test('readings, finance, contact and profile (JavaScript on)', T, () => journey(true));
  test('the same with JavaScript off', T, () => journey(false));
});
