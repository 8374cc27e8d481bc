// Test harness for ePortal's browser suite.
//
// It starts the real server (`$EPORTAL_BIN serve --demo`) on a free loopback
// port with its own temporary folder, drives Debian's Chromium through
// playwright-core (no downloaded browsers), checks pages with axe-core
// (WCAG 2.1 A + AA, zero violations allowed) and saves screenshots.
//
// Environment:
//   EPORTAL_BIN         path to the built `eportal` binary (required)
//   EPORTAL_BROWSER_DB  `sqlite` (default) or `postgres`: every server gets a
//                       fresh database of its own, dropped when it stops (on
//                       PostgreSQL made on EPORTAL_TEST_DATABASE_URL's server)
//   EPORTAL_CHROMIUM    browser executable (default /usr/bin/chromium)
//   EPORTAL_BROWSER_KEEP_TMP=1  keep the server's temporary folder
//
// Typical use in a test file:
//
//   import { before, after, test } from 'node:test';
//   import { startServer, newPage, checkA11y, screenshot, closeBrowser } from '../lib/harness.mjs';
//   let server;
//   before(async () => { server = await startServer(); });
//   after(async () => { await closeBrowser(); await server?.stop(); });
//   test('…', async () => {
//     const page = await newPage({ javaScript: false, width: 360 });
//     await page.goto('/');
//     await checkA11y(page, 'signin');
//     await screenshot(page, 'signin');
//   });

import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const BROWSER_DIR = path.resolve(here, '..');
export const SCREENSHOT_DIR = path.join(BROWSER_DIR, 'screenshots');
export const WIDTHS = [360, 1280];
export const CHROMIUM_PATH = process.env.EPORTAL_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LIMIT = 200_000;

/** `sqlite` or `postgres`, from EPORTAL_BROWSER_DB. */
export function dbKind() {
  const db = process.env.EPORTAL_BROWSER_DB || 'sqlite';
  if (db === 'sqlite' || db === 'postgres') return db;
  throw new Error(`EPORTAL_BROWSER_DB must be "sqlite" or "postgres", not ${JSON.stringify(db)}`);
}

const PG_ADMIN_URL = process.env.EPORTAL_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

function psql(sql) {
  execFileSync('psql', [PG_ADMIN_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
}

/** A new PostgreSQL database for one server: its URL and how to drop it. */
function createPgDatabase() {
  const name = `eportal_browser_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  psql(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let currentServer = null;
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Start `$EPORTAL_BIN serve --demo` and wait until GET /readyz answers 200.
 * Returns a server object: { url, port, tmpDir, mailDir, db, log(), mails(),
 * waitForMail(), stop() }.
 */
export async function startServer({ extraEnv = {}, args = [] } = {}) {
  const bin = process.env.EPORTAL_BIN;
  if (!bin) throw new Error('EPORTAL_BIN is not set: point it at the built eportal binary');
  if (!existsSync(bin)) throw new Error(`EPORTAL_BIN=${bin} does not exist`);

  const kind = dbKind();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'eportal-browser-'));
  const mailDir = path.join(tmpDir, 'mail');
  mkdirSync(mailDir, { recursive: true });
  const pg = kind === 'postgres' ? createPgDatabase() : null;
  const databaseUrl = pg ? pg.url : `sqlite://${path.join(tmpDir, 'eportal.db')}`;

  const env = {
    ...process.env,
    EPORTAL_LISTEN: `127.0.0.1:${port}`,
    EPORTAL_PUBLIC_URL: url,
    EPORTAL_DATABASE_URL: databaseUrl,
    EPORTAL_MAIL_DIR: mailDir,
    EPORTAL_TEST_CAPTCHA: 'test-captcha',
    EPORTAL_TEST_CHEAP_PASSWORD_HASHES: 'true',
    RUST_LOG: 'info',
    ...extraEnv,
  };
  // Never let a developer's SMTP setting leak into the tests.
  delete env.EPORTAL_SMTP_URL;

  let output = '';
  const child = spawn(bin, ['serve', '--demo', ...args], {
    cwd: tmpDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const append = (chunk) => {
    output += chunk.toString();
    if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      liveChildren.delete(child);
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      liveChildren.delete(child);
      resolve(exited);
    });
  });

  const server = {
    url,
    port,
    tmpDir,
    mailDir,
    db: kind,
    databaseUrl,
    process: child,
    log: () => output,
    mails: () => readMails(mailDir),
    /** Adds a staff user as an operator would: `eportal staff add`. */
    addStaff(username, password, role = 'operator') {
      execFileSync(bin, ['staff', 'add', username, '--role', role], {
        cwd: tmpDir,
        env: { ...env, EPORTAL_STAFF_PASSWORD: password },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    waitForMail: (opts) => waitForMail(mailDir, opts),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        let timer;
        const timedOut = await Promise.race([
          exitPromise.then(() => false),
          new Promise((resolve) => { timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS); }),
        ]).finally(() => clearTimeout(timer));
        if (timedOut) {
          child.kill('SIGKILL');
          await exitPromise;
          console.error(`eportal did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed`);
        }
      }
      if (currentServer === server) currentServer = null;
      if (pg) {
        try { pg.drop(); } catch (err) { console.error(`could not drop the test database: ${err.message}`); }
      }
      if (!process.env.EPORTAL_BROWSER_KEEP_TMP) rmSync(tmpDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  for (;;) {
    if (exited) {
      const how = exited.error ? `could not start: ${exited.error.message}`
        : `exited with ${exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`}`;
      await server.stop();
      throw new Error(`eportal ${how} before /readyz answered.\n--- server output ---\n${output}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code || err.message;
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`eportal not ready after ${READY_TIMEOUT_MS / 1000} s (last /readyz: ${lastError}).\n`
        + `--- server output ---\n${output}`);
    }
    await sleep(200);
  }
  currentServer = server;
  return server;
}

// ---------------------------------------------------------------- browser

let browserPromise = null;

/** The one Chromium of this test process (launched on first use). */
export async function getBrowser() {
  if (!browserPromise) {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (scripts/test does)`);
    }
    browserPromise = chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  }
  return browserPromise;
}

/**
 * A new page in its own browser context (own cookies), with baseURL set to
 * the running server, so `page.goto('/')` works.
 * Options: javaScript (default true), width (default 1280), height (800),
 * locale ('sl-SI'), server (default: the last started one).
 */
export async function newPage({ javaScript = true, width = 1280, height = 800, locale = 'sl-SI', server } = {}) {
  const srv = server || currentServer;
  if (!srv) throw new Error('newPage(): start a server first (startServer())');
  const browser = await getBrowser();
  const context = await browser.newContext({
    baseURL: srv.url,
    javaScriptEnabled: javaScript,
    viewport: { width, height },
    locale,
    timezoneId: 'Europe/Ljubljana',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  page.eportal = { javaScript, width };
  return page;
}

/** Close the browser (call in `after`). */
export async function closeBrowser() {
  if (!browserPromise) return;
  const p = browserPromise;
  browserPromise = null;
  try { await (await p).close(); } catch { /* launch failed or already closed */ }
}

// ---------------------------------------------------------------- axe

let axeSource = null;
function getAxeSource() {
  if (!axeSource) axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Human-readable text of axe violations. */
export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const target = Array.isArray(n.target) ? n.target.join(' ') : String(n.target);
      const summary = (n.failureSummary || '').split('\n').map((l) => `        ${l}`).join('\n');
      return `    - ${target}\n      ${n.html.slice(0, 300)}\n${summary}`;
    }).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

/**
 * Run axe-core (WCAG 2.1 A and AA rules) on the page and throw, listing
 * them, if there is any violation. Returns the axe results.
 *
 * axe is evaluated through the DevTools protocol, not by a <script> tag, so
 * the page's strict CSP does not stop it, and it checks the page as it is,
 * with JavaScript on or off. With JavaScript off Chromium still evaluates
 * DevTools code but fires no timers, which axe uses only to yield (delay 0)
 * or as guards (delay > 0); so while axe runs on such a page, setTimeout is
 * replaced by one that runs zero-delay callbacks as promise jobs and never
 * fires delayed ones, and iframes are not entered (they could not answer).
 * The page's own scripts do not run either way.
 */
export async function checkA11y(page, name, { timeout = 60_000 } = {}) {
  const jsOff = page.eportal ? !page.eportal.javaScript : !(await timersRun(page));
  const hasAxe = await page.evaluate('typeof window.axe === "object"');
  if (!hasAxe) await page.evaluate(getAxeSource());
  const options = {
    runOnly: { type: 'tag', values: AXE_TAGS },
    resultTypes: ['violations'],
    ...(jsOff ? { iframes: false } : {}),
  };
  const expression = jsOff
    ? `(async () => { ${TIMER_SHIM}
        try { return await window.axe.run(document, ${JSON.stringify(options)}); } finally { restoreTimers(); } })()`
    : `window.axe.run(document, ${JSON.stringify(options)})`;
  let timer;
  const results = await Promise.race([
    page.evaluate(expression),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`axe did not finish within ${timeout} ms on ${name}`)), timeout);
    }),
  ]).finally(() => clearTimeout(timer));
  if (results.violations.length > 0) {
    const where = `${name} (${page.url()}, ${describePage(page)})`;
    throw new Error(`axe found ${results.violations.length} WCAG 2.1 AA violation(s) on ${where}:\n`
      + formatViolations(results.violations));
  }
  return results;
}

// Defines restoreTimers() in the evaluated function's scope.
const TIMER_SHIM = `
  const realSetTimeout = window.setTimeout;
  const realClearTimeout = window.clearTimeout;
  const cancelled = new Set();
  let nextId = 1;
  window.setTimeout = function (fn, ms, ...args) {
    const id = nextId++;
    if (!(ms > 0)) {
      Promise.resolve().then(() => Promise.resolve()).then(() => {
        if (!cancelled.delete(id) && typeof fn === 'function') fn(...args);
      });
    }
    return id;
  };
  window.clearTimeout = (id) => { cancelled.add(id); };
  const restoreTimers = () => { window.setTimeout = realSetTimeout; window.clearTimeout = realClearTimeout; };
`;

/** Whether the page runs timers (false when JavaScript is off). */
async function timersRun(page) {
  const probe = page.evaluate('new Promise((resolve) => setTimeout(() => resolve(true), 0))');
  probe.catch(() => {});
  return Promise.race([probe, new Promise((resolve) => setTimeout(() => resolve(false), 500))]);
}

function describePage(page) {
  const vp = page.viewportSize();
  const js = page.eportal ? (page.eportal.javaScript ? 'JavaScript on' : 'JavaScript off') : '';
  return [vp ? `${vp.width} px` : '', js].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------- screenshots

/**
 * Full-page PNG screenshots at each width (default 360 and 1280), saved as
 * browser/screenshots/<db>/<name>-<width>.png. The viewport is restored
 * afterwards. Returns the file paths.
 */
export async function screenshot(page, name, { widths = WIDTHS } = {}) {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name: ${name}`);
  const dir = path.join(SCREENSHOT_DIR, dbKind());
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  const files = [];
  try {
    for (const width of widths) {
      if (page.viewportSize()?.width !== width) {
        await page.setViewportSize({ width, height: original?.height || 800 });
      }
      const file = path.join(dir, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      files.push(file);
    }
  } finally {
    const now = page.viewportSize();
    if (original && (!now || now.width !== original.width)) await page.setViewportSize(original);
  }
  return files;
}

// ---------------------------------------------------------------- mail

/**
 * The `.eml` files in the mail folder, oldest first:
 * [{ file, path, raw, headers, subject, to, from, text, html, links }].
 * `headers` has lower-case names (last value wins); `text`/`html` are the
 * decoded text/plain and text/html parts; `links` are the http(s) URLs found.
 */
export function readMails(mailDir) {
  if (!existsSync(mailDir)) return [];
  return readdirSync(mailDir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => ({ f, p: path.join(mailDir, f) }))
    .map(({ f, p }) => ({ f, p, m: statSync(p).mtimeMs }))
    .sort((a, b) => a.m - b.m || a.f.localeCompare(b.f))
    .map(({ f, p }) => ({ file: f, path: p, ...parseMail(readFileSync(p, 'utf8')) }));
}

/**
 * Wait until a mail matching the filter appears; returns it.
 * Options: to (substring of To), subject (substring or RegExp),
 * since (number of mails to skip, e.g. a previous mails().length),
 * timeout (ms, default 15000).
 */
export async function waitForMail(mailDir, { to, subject, since = 0, timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = readMails(mailDir).slice(since).find((m) =>
      (!to || m.to.toLowerCase().includes(to.toLowerCase()))
      && (!subject || (subject instanceof RegExp ? subject.test(m.subject) : m.subject.includes(subject))));
    if (found) return found;
    if (Date.now() > deadline) {
      const have = readMails(mailDir).map((m) => `  ${m.file}: to=${m.to} subject=${m.subject}`).join('\n') || '  (none)';
      throw new Error(`no mail to=${to ?? '*'} subject=${subject ?? '*'} within ${timeout} ms; mails:\n${have}`);
    }
    await sleep(200);
  }
}

/** Minimal MIME reader: enough for the portal's own messages. */
export function parseMail(raw) {
  const part = parsePart(raw.replace(/\r\n/g, '\n'));
  const texts = { text: '', html: '' };
  collect(part, texts);
  const h = part.headers;
  const links = [...new Set(`${texts.text}\n${texts.html}`.match(/https?:\/\/[^\s"'<>]+/g) || [])]
    .map((u) => u.replace(/&amp;/g, '&').replace(/[).,;]+$/, ''));
  return {
    raw,
    headers: h,
    subject: decodeWords(h.subject || ''),
    to: decodeWords(h.to || ''),
    from: decodeWords(h.from || ''),
    text: texts.text,
    html: texts.html,
    links,
  };
}

function parsePart(src) {
  const sep = src.indexOf('\n\n');
  const head = sep === -1 ? src : src.slice(0, sep);
  const body = sep === -1 ? '' : src.slice(sep + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const type = (headers['content-type'] || 'text/plain').toLowerCase();
  const part = { headers, type, body, parts: [] };
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] || '')?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const chunks = body.split(`--${boundary}`);
    for (const chunk of chunks.slice(1)) {
      if (chunk.startsWith('--')) break;
      part.parts.push(parsePart(chunk.replace(/^\n/, '')));
    }
  }
  return part;
}

function collect(part, out) {
  if (part.parts.length) {
    for (const p of part.parts) collect(p, out);
    return;
  }
  if (/attachment/i.test(part.headers['content-disposition'] || '')) return;
  const charset = (/charset="?([^";]+)"?/i.exec(part.headers['content-type'] || '')?.[1] || 'utf-8').toLowerCase();
  const text = decodeBody(part.body, part.headers['content-transfer-encoding'], charset);
  if (part.type.startsWith('text/html')) out.html += text;
  else if (part.type.startsWith('text/plain')) out.text += text;
}

function decodeBody(body, encoding = '', charset = 'utf-8') {
  const enc = encoding.toLowerCase();
  let bytes;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (enc === 'quoted-printable') bytes = qpBytes(body.replace(/=\n/g, ''));
  else return body;
  try { return new TextDecoder(charset).decode(bytes); } catch { return bytes.toString('utf8'); }
}

function qpBytes(s) {
  const out = [];
  const src = Buffer.from(s, 'utf8');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x3d && /^[0-9A-Fa-f]{2}$/.test(String.fromCharCode(src[i + 1], src[i + 2]))) {
      out.push(parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16));
      i += 2;
    } else out.push(src[i]);
  }
  return Buffer.from(out);
}

/** RFC 2047 encoded words (=?utf-8?B?…?= / =?utf-8?Q?…?=). */
export function decodeWords(s) {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, data) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : qpBytes(data.replace(/_/g, ' '));
      try { return new TextDecoder(charset.toLowerCase()).decode(bytes); } catch { return bytes.toString('utf8'); }
    });
}

/** Photographs the page at both widths, then checks it with axe. */
export async function look(page, name) {
  await screenshot(page, name);
  await checkA11y(page, name);
}

/**
 * Waits until `check` (async, returning a boolean) holds, retrying for up to `timeout` ms,
 * for answers that come back to the same address, where waiting for a URL proves nothing.
 */
export async function eventually(check, what, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeout} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A form's own submit button: not "Nova slika", not the CAPTCHA's hidden Enter stand-in. */
export function submitOf(form) {
  return form.locator('button[type=submit]:not([name=captcha_new]):not([tabindex="-1"])').last();
}

/**
 * The code an authenticator app shows for a base32 key at `at` (RFC 6238: HMAC-SHA-1,
 * 30-second steps, 6 digits), as the back office's enrolment asks for.
 */
export function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of base32.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
