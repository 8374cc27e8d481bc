// The back office's sign-in (SPEC §4): a new staff user, added with `eportal staff add`,
// signs in at /staff, enrols an authenticator app (the test computes the codes from the key
// the page shows), sees the recovery codes once, reaches "Nadzorna plošča", signs out and in
// again with the next code. Every page is checked with axe and photographed at 360 and
// 1280 px, with JavaScript on and off.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { BROWSER_DIR, closeBrowser, look, newPage, startServer, submitOf, totp } from '../lib/harness.mjs';

const T = { timeout: 240_000 };
const STAFF = 'ana.kos';
const CUSTOMER = '204518';
const CUSTOMER_PASSWORD = 'Brezovica-Voda-2020';
const CUSTOMER_EMAIL = 'mojca.kovacic@example.com';
// The demo's payer KOS MARKO (docs/demo.md), without an account: its point and tax number.
const KOS_PAYER = '317042';
const KOS_POINT = '0133903';
const KOS_TAX_NUMBER = '48334103';
const KOS_PASSWORD = 'Plesivica-Krim-33';
const PASSWORD = 'Zaledni-Sistem-2026';

const servers = [];
after(async () => {
  await closeBrowser();
  for (const server of servers) await server.stop();
});

async function signIn(page) {
  await page.getByLabel('Uporabniško ime', { exact: true }).fill(STAFF);
  await page.getByLabel('Geslo', { exact: true }).fill(PASSWORD);
  await submitOf(page.locator('main form')).click();
}

async function journey(javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const server = await startServer();
  servers.push(server);
  server.addStaff(STAFF, PASSWORD, 'admin');
  const page = await newPage({ javaScript, width: 1280 });

  await page.goto('/staff');
  assert.equal(await page.locator('h1').innerText(), 'Prijava v zaledni sistem');
  assert.match(await page.locator('header').innerText(), /samo za osebje/);
  await look(page, `staff-sign-in-${js}`);

  await signIn(page);
  await page.waitForURL('**/staff/enrol');
  await look(page, `staff-enrol-${js}`);
  const key = await page.locator('#secret').innerText();
  await page.getByLabel('Koda', { exact: true }).fill('000000');
  await submitOf(page.locator('main form')).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-enrol-error-${js}`);
  await page.getByLabel('Koda', { exact: true }).fill(totp(key));
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/staff/recovery-codes');
  assert.equal(await page.locator('.recovery-codes li').count(), 10);
  await look(page, `staff-recovery-codes-${js}`);

  await page.getByRole('link', { name: 'Naprej v zaledni sistem' }).click();
  await page.waitForURL('**/staff/home');
  assert.equal(await page.locator('h1').innerText(), 'Nadzorna plošča');
  await look(page, `staff-home-${js}`);
  // The page that asks for a fresh code before a dangerous action.
  await page.goto('/staff/confirm?next=%2Fstaff%2Faccess-requests');
  assert.equal(await page.locator('h1').innerText(), 'Potrdite s kodo');
  await look(page, `staff-confirm-${js}`);

  // "Pošta": a message someone sent through "Stik z nami" is listed and can be read.
  const visitor = await newPage({ javaScript, width: 1280 });
  await visitor.goto('/contact');
  await visitor.getByLabel('Ime in Priimek', { exact: true }).fill('Maja Zupan');
  await visitor.getByLabel('Naslov elektronske pošte', { exact: true }).fill(`maja.${js}@example.si`);
  await visitor.getByLabel('Sporočilo', { exact: true }).fill('Kdaj bo menjava števca?');
  await visitor.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(visitor.locator('main form')).click();
  await visitor.waitForURL('**/contact/sent');
  await visitor.context().close();
  // "Zahtevki za dostop": a request sent through the public form is refused with a reason.
  const requester = await newPage({ javaScript, width: 1280 });
  await requester.goto('/access-request');
  await requester.getByLabel('Ime in priimek', { exact: true }).fill('Ana Kovač');
  await requester.getByLabel('Naslov', { exact: true }).fill('Podpeč 12, 1352 Preserje');
  await requester.getByLabel('Oznaka odjemnega mesta', { exact: true }).fill('OM-000');
  await requester.getByLabel('Davčna številka', { exact: true }).fill('12345679');
  await requester.getByLabel('Elektronski naslov', { exact: true }).fill(`ana.${js}@example.si`);
  await requester.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(requester.locator('main form')).click();
  await requester.waitForURL('**/access-request/sent');
  await requester.context().close();
  await page.goto('/staff/home');
  await page.getByRole('link', { name: 'novih zahtevkov za dostop' }).click();
  await page.waitForURL('**/staff/access-requests');
  await look(page, `staff-access-requests-${js}`);
  await page.getByRole('link', { name: 'Ana Kovač' }).click();
  await page.waitForURL('**/staff/access-requests/*');
  await look(page, `staff-access-request-${js}`);
  await page.getByRole('button', { name: 'Zavrni', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await page.getByLabel('Razlog', { exact: true }).fill('Odjemnega mesta OM-000 ne najdemo.');
  await page.getByRole('button', { name: 'Zavrni', exact: true }).click();
  await page.getByText(/zavrnjen \(ana\.kos/).waitFor();
  await look(page, `staff-access-request-refused-${js}`);
  await server.waitForMail({ to: `ana.${js}@example.si`, subject: 'Vaš zahtevek za uporabo ePortala' });

  await issueAndRegister(page, server, javaScript);

  // "Sporočila": the message is there, unhandled; an answer goes to the sender.
  await page.goto('/staff/home');
  await page.getByRole('link', { name: 'neobravnavanih sporočil' }).click();
  await page.waitForURL('**/staff/messages');
  await look(page, `staff-messages-${js}`);
  await page.locator('main table a').first().click();
  await page.waitForURL('**/staff/messages/*');
  await page.getByRole('button', { name: 'Odgovori', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-message-error-${js}`);
  await page.getByLabel('Odgovor', { exact: true }).fill('Števec zamenjamo v torek.');
  await page.getByRole('button', { name: 'Odgovori', exact: true }).click();
  await page.getByText('Poslani odgovori').waitFor();
  await look(page, `staff-message-answered-${js}`);
  await server.waitForMail({ to: `maja.${js}@example.si`, subject: 'Odgovor na vaše sporočilo' });

  await page.goto('/staff/mail');
  assert.ok(await page.locator('main table tbody tr').count() >= 2, 'the two messages of the contact form');
  await look(page, `staff-mail-${js}`);
  await page.locator('main table a').first().click();
  await page.waitForURL('**/staff/mail/*');
  assert.match(await page.locator('main').innerText(), /Message-ID/);
  await look(page, `staff-mail-message-${js}`);

  await readingsForBilling(page, server, javaScript);
  await lockAndUnlock(page, javaScript);
  await apiToken(page, javaScript);
  await importFiles(page, javaScript);
  await notices(page, javaScript);

  await page.getByRole('link', { name: 'Revizijska sled', exact: true }).click();
  await page.waitForURL('**/staff/audit');
  assert.match(await page.locator('main table').innerText(), /odgovor na sporočilo/);
  await look(page, `staff-audit-${js}`);
  await page.getByLabel('Od dne', { exact: true }).fill('31.02.2026');
  await submitOf(page.locator('main form')).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-audit-error-${js}`);
  await page.getByLabel('Od dne', { exact: true }).fill('');
  // Each thing this journey did is in the trail.
  for (const action of [
    'nastavljena aplikacija za kode',
    'izdana kontrolna številka',
    'izvoz odčitkov za obračun',
    'povratni podatki obračuna o odčitkih',
    'zaklepanje uporabniškega računa',
    'odklepanje uporabniškega računa',
    'nov žeton API',
    'preklic žetona API',
    'uvoz podatkov',
  ]) {
    await page.getByLabel('Dejanje', { exact: true }).selectOption({ label: action });
    await submitOf(page.locator('main form')).click();
    await page.waitForURL((url) => url.search.includes('action='));
    await page.locator('main table tbody tr').first().waitFor();
    assert.match(await page.locator('main table tbody').innerText(), /ana\.kos/, action);
  }
  await page.getByLabel('Dejanje', { exact: true }).selectOption({ label: 'prijava osebja' });
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/staff/audit?action=staff_sign_in*');
  assert.match(await page.locator('main table').innerText(), /osebje /);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Izvozi v CSV', exact: true }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^revizijska-sled-\d{4}-\d{2}-\d{2}\.csv$/);

  await page.getByRole('link', { name: 'Osebje', exact: true }).click();
  await page.waitForURL('**/staff/staff-users');
  assert.match(await page.locator('main table').innerText(), /skrbnik/);
  await look(page, `staff-users-${js}`);
  await page.getByRole('button', { name: 'Dodaj uporabnika', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-users-error-${js}`);
  await page.getByLabel('Uporabniško ime', { exact: true }).fill('bor.zupan');
  await page.getByLabel('operater', { exact: true }).check();
  await page.getByRole('button', { name: 'Dodaj uporabnika', exact: true }).click();
  await page.locator('#new-password').waitFor();
  assert.match(await page.locator('#new-password').innerText(), /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  await look(page, `staff-users-added-${js}`);

  await page.getByRole('button', { name: 'Odjava', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/staff');
  await signIn(page);
  await page.waitForURL('**/staff/code');
  await look(page, `staff-code-${js}`);
  // The enrolment spent this step's code; the app's next one is taken.
  await page.getByLabel('Koda', { exact: true }).fill(totp(key, Date.now() + 30_000));
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/staff/home');
  await page.context().close();
}

/** A requester asks for access through the public form, naming their point and tax number;
 * staff issue a control number for the payer that matches; the requester registers with the
 * mailed numbers, activates the account and signs in. */
async function issueAndRegister(page, server, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const email = `marko.kos.${js}@example.si`;
  const requester = await newPage({ javaScript, width: 1280 });
  await requester.goto('/access-request');
  await requester.getByLabel('Ime in priimek', { exact: true }).fill('Marko Kos');
  await requester.getByLabel('Naslov', { exact: true }).fill('Plešivica 33, 1352 Preserje');
  await requester.getByLabel('Oznaka odjemnega mesta', { exact: true }).fill(KOS_POINT);
  await requester.getByLabel('Davčna številka', { exact: true }).fill(KOS_TAX_NUMBER);
  await requester.getByLabel('Elektronski naslov', { exact: true }).fill(email);
  await requester.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(requester.locator('main form')).click();
  await requester.waitForURL('**/access-request/sent');

  await page.goto('/staff/access-requests');
  await page.getByRole('link', { name: 'Marko Kos' }).click();
  await page.waitForURL('**/staff/access-requests/*');
  await page.getByRole('button', { name: 'Izdaj kontrolno številko', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await page.getByLabel(new RegExp(`^${KOS_PAYER} – KOS MARKO`)).check();
  await page.getByRole('button', { name: 'Izdaj kontrolno številko', exact: true }).click();
  await page.getByText(/rešen \(ana\.kos/).waitFor();
  await look(page, `staff-access-request-issued-${js}`);
  const mail = await server.waitForMail({ to: email, subject: 'Podatki za registracijo v ePortal' });
  const number = /Kontrolna številka: (\S{4} \S{4})/.exec(mail.text)[1];

  await requester.goto('/register');
  await requester.getByLabel('Uporabniško ime', { exact: true }).fill(KOS_PAYER);
  await requester.getByLabel('Elektronski naslov', { exact: true }).fill(email);
  await requester.getByLabel('Kontrolna številka', { exact: true }).fill(number);
  await requester.getByLabel('Geslo', { exact: true }).fill(KOS_PASSWORD);
  await requester.getByLabel('Ponovi geslo', { exact: true }).fill(KOS_PASSWORD);
  await requester.getByLabel('Znak iz slike', { exact: true }).fill('test-captcha');
  await submitOf(requester.locator('main form')).click();
  await requester.waitForURL('**/register/sent');
  const activation = await server.waitForMail({ to: email, subject: /Aktiv/ });
  await requester.goto(activation.links.find((url) => url.includes('/activate?token=')));
  await submitOf(requester.locator('main form')).click();
  await requester.waitForURL((url) => url.pathname === '/');
  await requester.getByLabel('Uporabniško ime', { exact: true }).fill(KOS_PAYER);
  await requester.getByLabel('Geslo', { exact: true }).fill(KOS_PASSWORD);
  await submitOf(requester.locator('main form')).click();
  await requester.waitForURL('**/consent');
  await requester.context().close();
}

/** The demo customer submits a reading; staff export it for billing and import billing's
 * feedback, which rejects it; the customer sees why and is mailed. */
async function readingsForBilling(page, server, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  const customer = await newPage({ javaScript, width: 1280 });
  await customer.goto('/');
  await customer.getByLabel('Uporabniško ime', { exact: true }).fill(CUSTOMER);
  await customer.getByLabel('Geslo', { exact: true }).fill(CUSTOMER_PASSWORD);
  await submitOf(customer.locator('main form')).click();
  await customer.waitForURL('**/home');
  await customer.goto('/readings/new');
  const lastText = await customer.locator('aside dl dd').first().innerText();
  const last = Number(/(\d{1,3}(?:\.\d{3})*,\d{3})/.exec(lastText)[1].replace(/\./g, '').replace(',', '.'));
  await customer.getByLabel('Števno stanje', { exact: true }).fill((last + 0.5).toFixed(3).replace('.', ','));
  await submitOf(customer.locator('main form').first()).click();
  await customer.waitForURL('**/readings/submitted/*');
  const submitted = new URL(customer.url()).pathname;

  await page.goto('/staff/home');
  await page.getByRole('link', { name: 'oddanih odčitkov za obračun' }).click();
  await page.waitForURL('**/staff/readings?status=submitted');
  assert.equal(await page.locator('main table tbody tr').count(), 1);
  await look(page, `staff-readings-${js}`);
  await page.getByRole('button', { name: 'Izvozi za obračun', exact: true }).click();
  await page.waitForURL('**/staff/readings/exports/*');
  await look(page, `staff-readings-export-${js}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Prenesi datoteko za obračun', exact: true }).click(),
  ]);
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(lines.length, 2, 'the header and the one reading');
  const [serial, date] = lines[1].split(';');
  await page.getByRole('link', { name: 'Pretekli izvozi', exact: true }).click();
  await page.waitForURL('**/staff/readings/exports');
  await look(page, `staff-readings-exports-${js}`);

  await page.goto('/staff/readings');
  await page.getByRole('button', { name: 'Uvozi povratne podatke', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-readings-feedback-error-${js}`);
  const reason = 'Stanje je nižje od zadnjega odčitka.';
  await page.getByLabel('Datoteka s povratnimi podatki obračuna', { exact: true }).setInputFiles({
    name: 'povratni.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`meter_serial;date;status;reason\n${serial};${date};rejected;${reason}\n`),
  });
  await page.getByRole('button', { name: 'Uvozi povratne podatke', exact: true }).click();
  await page.getByText(/zavrnjenih 1\./).waitFor();
  await look(page, `staff-readings-feedback-done-${js}`);
  await server.waitForMail({ to: CUSTOMER_EMAIL, subject: 'Vaš odčitek ni bil upoštevan' });

  await customer.goto(submitted);
  const shown = await customer.locator('main').innerText();
  assert.match(shown, /zavrnjeno/);
  assert.ok(shown.includes(reason), shown);
  await look(customer, `staff-reading-rejected-customer-${js}`);
  await customer.context().close();
}

/** "Uporabniki": the demo customer is found, locked (a reason first) and unlocked. */
async function lockAndUnlock(page, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  await page.getByRole('link', { name: 'Uporabniki', exact: true }).click();
  await page.waitForURL('**/staff/accounts');
  await page.getByLabel('Iskanje uporabnika', { exact: true }).fill(CUSTOMER_EMAIL);
  await submitOf(page.locator('main form')).click();
  await page.waitForURL('**/staff/accounts?q=*');
  await look(page, `staff-accounts-${js}`);
  // A column's head orders the list by it.
  await page.getByRole('link', { name: 'Zadnja prijava' }).click();
  await page.waitForURL(/sort=last_sign_in/);
  assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), 'Zadnja prijava ▲');
  await page.getByRole('link', { name: CUSTOMER, exact: true }).click();
  await page.waitForURL('**/staff/accounts/*');
  await look(page, `staff-account-${js}`);
  await page.getByLabel('Zakleni račun (odprte seje se takoj končajo)', { exact: true }).check();
  await page.getByRole('button', { name: 'Izvedi', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-account-error-${js}`);
  await page.getByLabel('Razlog', { exact: true }).first().fill('Stranka je prijavila izgubo telefona.');
  await page.getByRole('button', { name: 'Izvedi', exact: true }).click();
  await page.getByText(/Zakleni račun .* opravljeno/).waitFor();
  assert.match(await page.locator('dl.summary').innerText(), /zaklenjen/);
  await look(page, `staff-account-locked-${js}`);
  await page.getByLabel('Odkleni račun', { exact: true }).check();
  await page.getByLabel('Razlog', { exact: true }).first().fill('Stranka je telefon našla.');
  await page.getByRole('button', { name: 'Izvedi', exact: true }).click();
  await page.getByText(/Odkleni račun .* opravljeno/).waitFor();
  assert.match(await page.locator('dl.summary').innerText(), /aktiven/);
}

/** "API žetoni": a token is made (a name first), shown once, and revoked. */
// "Obvestila": a notice to a settlement, refused first for what is missing; then the payers
// who get their invoices by e-mail.
async function notices(page, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  await page.getByRole('link', { name: 'Obvestila', exact: true }).click();
  await page.waitForURL('**/staff/notices');
  await look(page, `staff-notices-${js}`);
  await page.getByRole('button', { name: 'Objavi', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Vpišite naslov obvestila/);
  await look(page, `staff-notices-error-${js}`);
  await page.getByLabel('Naslov', { exact: true }).fill(`Zapora vodovoda (${js})`);
  await page.getByLabel('Besedilo', { exact: true }).fill('Zaradi popravila bo voda zaprta od 8. do 12. ure.\n\nProsimo za razumevanje.');
  await page.getByLabel('Velja od', { exact: true }).fill('1. 12. 2026');
  await page.getByLabel('Velja do', { exact: true }).fill('2. 12. 2026');
  await page.getByRole('radio', { name: 'Naselje', exact: true }).check();
  await page.locator('select#settlement').selectOption('BREZOVICA');
  await page.getByRole('button', { name: 'Objavi', exact: true }).click();
  await page.waitForURL('**/staff/notices?published=1');
  assert.match(await page.locator('main table').innerText(), new RegExp(`Zapora vodovoda \\(${js}\\)`));
  await look(page, `staff-notices-published-${js}`);
  await page.getByRole('link', { name: 'Račun po e-pošti', exact: true }).click();
  await page.waitForURL('**/staff/invoice-email');
  await look(page, `staff-invoice-email-${js}`);
}

async function apiToken(page, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  await page.getByRole('link', { name: 'API žetoni', exact: true }).click();
  await page.waitForURL('**/staff/api-tokens');
  await look(page, `staff-api-tokens-${js}`);
  await page.getByRole('button', { name: 'Izdelaj žeton', exact: true }).click();
  await page.locator('.error-summary').waitFor();
  await look(page, `staff-api-tokens-error-${js}`);
  await page.getByLabel('Ime', { exact: true }).fill('Obračun – nočni prenos');
  await page.getByLabel(/readings:read/).check();
  await page.getByRole('button', { name: 'Izdelaj žeton', exact: true }).click();
  await page.locator('#new-token').waitFor();
  assert.match(await page.locator('#new-token').innerText(), /^ept_[0-9A-Za-z]{36}$/);
  await look(page, `staff-api-token-made-${js}`);
  await page.getByRole('button', { name: 'Prekliči Obračun – nočni prenos', exact: true }).click();
  await page.getByText(/preklical ana\.kos/).waitFor();
}

/** "Uvoz": another utility's files are checked (the dry run), then applied. */
async function importFiles(page, javaScript) {
  const js = javaScript ? 'js' : 'nojs';
  await page.getByRole('link', { name: 'Uvoz', exact: true }).click();
  await page.waitForURL('**/staff/import');
  await look(page, `staff-import-${js}`);
  const fixtures = path.resolve(BROWSER_DIR, '../tests/fixtures/komunala-vrhnika');
  const files = fs.readdirSync(fixtures).filter((name) => name.endsWith('.csv'));
  await page.getByLabel('Datoteke', { exact: true }).setInputFiles(files.map((name) => path.join(fixtures, name)));
  await page.getByRole('button', { name: 'Preveri datoteke', exact: true }).click();
  await page.waitForURL(/\/staff\/import\/\d+$/);
  assert.match(await page.locator('main').innerText(), /Vse datoteke so brez napak/);
  await look(page, `staff-import-preview-${js}`);
  await page.getByRole('button', { name: 'Uveljavi', exact: true }).click();
  await page.waitForURL('**/staff/import');
  assert.match(await page.locator('.notice').innerText(), /Uvoz je uveljavljen/);
  assert.match(await page.locator('main table').innerText(), /invoice_lines\.csv/);
  await look(page, `staff-import-applied-${js}`);
}

describe('the back office sign-in', () => {
  test('enrol, recovery codes, dashboard, sign in again (JavaScript on)', T, () => journey(true));
  test('the same with JavaScript off', T, () => journey(false));
});
