// "Obveščanje" in Moj profil and the one-click unsubscribe, end to end: the demo customer
// turns notifications on, the server (reading window open every day, a look every second)
// mails a reading reminder, and its link unsubscribes. Every page checked with axe and
// photographed at 360 and 1280 px, JavaScript on and off.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { closeBrowser, look, newPage, startServer } from '../lib/harness.mjs';

const T = { timeout: 240_000 };
const PAYER = '204518';
const PASSWORD = 'Brezovica-Voda-2020';
const EMAIL = 'mojca.kovacic@example.com';

const servers = [];
after(async () => {
  await closeBrowser();
  for (const server of servers) await server.stop();
});

async function journey(javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const server = await startServer({
    extraEnv: { EPORTAL_READING_WINDOW: '1-31', EPORTAL_NOTIFICATION_INTERVAL_SECONDS: '1' },
  });
  servers.push(server);
  const page = await newPage({ javaScript, server });
  await page.goto(`${server.url}/`);
  await page.getByLabel('Uporabniško ime', { exact: true }).fill(PAYER);
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await page.locator('main form button[type=submit]').last().click();
  await page.waitForURL('**/home');

  await page.locator('nav.toolbar').getByRole('link', { name: 'Moj profil' }).click();
  await page.waitForURL('**/profile');
  await page.getByRole('heading', { name: 'Obveščanje' }).waitFor();
  const reminders = page.getByLabel('Opomnik za vnos števnega stanja', { exact: true });
  const invoices = page.getByLabel('Račun po e-pošti', { exact: true });
  assert.equal(await reminders.isChecked(), false);
  await reminders.check();
  await invoices.check();
  await page.locator('form[action="/profile/notifications"] button').click();
  await page.waitForURL('**/profile?saved=notifications#profile-notifications-title');
  await page.getByText('Izbira obveščanja je shranjena.').waitFor();
  assert.equal(await page.getByLabel('Opomnik za vnos števnega stanja', { exact: true }).isChecked(), true);
  assert.equal(await page.getByLabel('Obvestila o delih in motnjah', { exact: true }).isChecked(), false);
  await look(page, `notifications-profile-saved-${js}`);

  const mail = await server.waitForMail({ to: EMAIL, subject: /števnega stanja/ });
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  const link = mail.links.find((url) => url.includes('/unsubscribe?token='));
  assert.ok(link, `an unsubscribe link in: ${mail.text}`);
  assert.ok(mail.links.some((url) => url.endsWith('/readings/new')), 'a link to "Vnos števnega stanja"');

  // Opening the link asks; the button unsubscribes from that kind only.
  await page.goto(link);
  await page.getByRole('heading', { name: 'Odjava od obveščanja' }).waitFor();
  await look(page, `notifications-unsubscribe-${js}`);
  await page.getByRole('button', { name: 'Odjavi me' }).click();
  await page.getByText('Odjavljeni ste.').waitFor();
  await look(page, `notifications-unsubscribed-${js}`);
  await page.goto(`${server.url}/profile`);
  assert.equal(await page.getByLabel('Opomnik za vnos števnega stanja', { exact: true }).isChecked(), false);
  assert.equal(await page.getByLabel('Račun po e-pošti', { exact: true }).isChecked(), true);
  await page.context().close();
}

describe('notifications of the demo customer', () => {
  test('turned on in Moj profil, stopped by the link in the mail (JavaScript on)', T, () => journey(true));
  test('the same with JavaScript off', T, () => journey(false));
});
