// Senim's end-to-end check in a real browser (Debian's chromium through playwright-core), in Kazakh:
// register an organisation, confirm the e-mail (read at /admin/mail), file an application section by
// section, upload the PDFs and submit, all by keyboard only (Tab, typing, Space, arrows, Enter; the file
// dialog is opened with Space and answered through playwright's filechooser event; focus visible and in
// document order on every stop); the reviewer fails a check with a comment; the applicant reads the
// preliminary decision and objects, asking to be heard (by keyboard, АППК Art. 73); the reviewer records
// the hearing (Art. 74) and issues the notice as an act; the applicant reads the notice, corrects, uploads
// again and resubmits (by keyboard only too); the reviewer includes; the
// publisher publishes; the entry is found on the public List; an edition file is downloaded and verified
// on /verify and with `senim verify --keys`.
// Every page visited is screenshotted (SENIM_E2E_SHOTS) and checked with axe-core (WCAG 2.1 A and AA).
//
// Environment: SENIM_E2E_BASE (http://127.0.0.1:18187), SENIM_E2E_BIN (the senim binary),
// SENIM_E2E_PW_ADMIN / _REVIEWER / _PUBLISHER (demo passwords), SENIM_E2E_SHOTS (screenshot directory).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.SENIM_E2E_BASE ?? 'http://127.0.0.1:18187';
const BIN = process.env.SENIM_E2E_BIN;
const SHOTS = process.env.SENIM_E2E_SHOTS ?? 'target/e2e-screenshots';
const PW = {
  admin: process.env.SENIM_E2E_PW_ADMIN,
  reviewer: process.env.SENIM_E2E_PW_REVIEWER,
  publisher: process.env.SENIM_E2E_PW_PUBLISHER,
};
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// axe-core's own build, evaluated in the page through the DevTools protocol (not a <script>: the site's
// Content-Security-Policy rightly refuses inline scripts).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
}

mkdirSync(SHOTS, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'senim-e2e-'));

let step = 0;
let pagesChecked = 0;
let keyboardForms = 0;
let keyboardStops = 0;
const checkedUrls = new Set();
const violations = [];
const log = (...a) => console.log('e2e:', ...a);
function fail(msg) { throw new Error(msg); }
function expect(cond, msg) { if (!cond) fail(msg); }

/** Screenshot the page and run axe on it. Every state of every page in the flow passes through here. */
async function visit(page, name) {
  step += 1;
  const file = join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const status = await page.evaluate(() => document.documentElement.lang);
  expect(status === 'kk', `${name}: the page is not in Kazakh (lang="${status}") at ${page.url()}`);
  const res = await axe(page);
  pagesChecked += 1;
  checkedUrls.add(new URL(page.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id'));
  // WCAG 2.1 1.4.10 Reflow (axe does not test it): at 320 CSS px no element may reach past the screen's
  // right edge, except data tables (and preformatted text), which the criterion exempts as 2-D content.
  const vp = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const wide = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('table, pre, .table-scroll'))
      .filter((e) => { const s = getComputedStyle(e); return s.visibility !== 'hidden' && s.position !== 'absolute'; })
      .slice(0, 6).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''}`);
  });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(vp);
  if (wide.length) {
    violations.push({ page: name, url: page.url(), id: 'reflow-320', impact: 'serious',
      help: `WCAG 1.4.10 Reflow: ${wide.length} element(s) past the edge of a 320 px screen (page ${scroll} px wide)`, nodes: wide });
  }
  for (const v of res.violations) {
    violations.push({ page: name, url: page.url(), id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`) });
  }
  log(`${String(step).padStart(2, '0')} ${name} ${page.url().replace(BASE, '')} axe: ${res.violations.length} violations${wide.length ? `, reflow: ${wide.join(' ')} past 320 px` : ''}`);
}

async function go(page, path, name) {
  const r = await page.goto(BASE + path);
  expect(r && r.status() < 400, `${path} answered ${r && r.status()}`);
  await visit(page, name);
}

/** Submit a form in <main> picked by its action (and button value), wait for the next page. */
async function submit(page, action, name, button = 'button[type=submit]') {
  const form = page.locator(`main form[action="${action}"]`).first();
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), form.locator(button).first().click()]);
  if (name) await visit(page, name);
}

async function signIn(page, email, password, name) {
  await go(page, '/signin', `${name}-signin`);
  await page.fill('main input[name="email"]', email);
  await page.fill('main input[name="password"]', password);
  await submit(page, '/signin', null);
  expect(!/second-factor|\/signin\/code/.test(page.url()),
    `${email} is asked for a second factor (${page.url()}): the demo does not require TOTP; this flow does not enrol one`);
  expect(!page.url().includes('/signin'), `sign-in of ${email} failed: ${page.url()}`);
}

/** A small valid PDF 1.4 with correct xref offsets, its text naming the system and auditor. */
function makePdf(lines) {
  const esc = (s) => s.replace(/[\\()]/g, (c) => '\\' + c);
  const text = lines.map((l, i) => `BT /F1 12 Tf 50 ${780 - i * 20} Td (${esc(l)}) Tj ET`).join('\n');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out)); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const stamp = Date.now().toString(36);
const EMAIL = `e2e-${stamp}@example.kz`;
const PASSWORD = 'e2e uzyn kupiya soz 2026';
const SYSTEM_KK = `Көз торын талдау ${stamp}`;
// Every Annex 1 field, as the form names them.
const ANSWERS = {
  'applicant.role': 'owner_and_holder',
  'applicant.name': '«Көз AI» ЖШС',
  'applicant.bin_iin': '940140000385',
  'applicant.legal_address': 'Алматы қ., Абай 10',
  'applicant.actual_address': 'Алматы қ., Абай 10',
  'applicant.contact.name': 'Бауыржан Ахметов',
  'applicant.contact.position': 'Техникалық директор',
  'applicant.contact.phone': '+7 727 000 00 00',
  'applicant.contact.email': 'b@koz.kz',
  'system.name.kk': SYSTEM_KK,
  'system.name.ru': `Анализ сетчатки ${stamp}`,
  'system.purpose.kk': 'Ерте диагностика',
  'system.area.kk': 'Офтальмология',
  'system.functionality.kk': 'Суреттен ауруды анықтайды',
  'system.conditions_of_use.kk': 'Дәрігер растайды',
  'system.models.description.kk': 'Нейрондық желі',
  'system.models.algorithm_type': 'CNN',
  'system.models.external_models': 'no',
  'system.models.embedded_models': 'yes',
  'system.data.categories.kk': 'Көз суреттері',
  'system.data.sources.kk': 'Клиникалар',
  'audit.auditor.kk': '«Аудит Про» ЖШС',
  'audit.date': '2026-04-01',
  'audit.conclusions.kk': 'Талаптарға сай',
  'copyright.certificate_number': '55555',
  'copyright.certificate_date': '2026-02-02',
  'declaration.signatory': 'Бауыржан Ахметов',
  'declaration.confirmed': 'yes',
};

/** Fill whatever Annex 1 fields this page shows, with the mouse-and-keyboard helpers of playwright. */
async function fillShown(page, skip = new Set()) {
  let n = 0;
  for (const [key, value] of Object.entries(ANSWERS)) {
    if (skip.has(key)) continue;
    const el = page.locator(`main form [name="${key}"]`);
    const count = await el.count();
    if (count === 0) continue;
    const type = await el.first().getAttribute('type');
    if (type === 'radio') await page.locator(`main form [name="${key}"][value="${value}"]`).check();
    else if (type === 'checkbox') await el.first().check();
    else if ((await el.first().evaluate((e) => e.tagName)) === 'SELECT') await el.first().selectOption(value);
    else await el.first().fill(value);
    n += 1;
  }
  return n;
}

/** Is the focus indicator of the focused element visible (an outline or a box-shadow ring)? */
async function focusState(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    const all = [...document.querySelectorAll('*')];
    return { tag: e.tagName.toLowerCase(), type: e.type ?? '', name: e.getAttribute('name') ?? '', value: e.value ?? '',
      id: e.id, text: (e.innerText ?? '').trim().slice(0, 40), checked: !!e.checked, href: e.getAttribute('href') ?? '',
      visible: (outline || shadow) && r.width > 0 && r.height > 0, order: all.indexOf(e) };
  });
}

/**
 * Complete the form on this page with the keyboard only: Tab through it from the top, type into the
 * fields in `answers`, choose radios and list-box options with the arrow keys or Space, tick boxes with
 * Space, open a file input's dialog with Space (its answer, the file's path, is given to playwright's
 * `filechooser` event: the browser's own dialog, not the mouse), and press Enter on the button whose
 * name/text is `until`. Asserts a visible focus indicator on every stop and that the
 * focus moves forward through the document.
 */
async function keyboardComplete(page, answers, until, name) {
  await page.bringToFront(); // the window the user types into (several pages are open at once)
  // Start from the top of the document, as on a freshly loaded page: a page reached through a fragment
  // (#documents after an upload) would otherwise start the Tab sequence at that fragment.
  await page.evaluate(() => {
    document.activeElement?.blur();
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
    document.body.blur();
    document.body.removeAttribute('tabindex');
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab'); // the skip link
  let s = await focusState(page);
  expect(s && s.tag === 'a' && s.href === '#main' && s.visible, `${name}: the first Tab does not land visibly on the skip link (${s && (s.href || s.text)})`);
  await page.keyboard.press('Enter'); // skip to the content
  const done = new Set();
  let last = -1;
  const stops = [];
  for (let i = 0; i < 300; i += 1) {
    await page.keyboard.press('Tab');
    s = await focusState(page);
    expect(s, `${name}: focus was lost after ${stops.length} stops`);
    stops.push(s.name || s.id || s.text);
    expect(s.visible, `${name}: no visible focus indicator on ${s.tag} ${s.name || s.id || s.text}`);
    expect(s.order > last, `${name}: focus went backwards to ${s.tag} ${s.name || s.id} after ${stops.slice(-2, -1)}`);
    last = s.order;
    if (s.tag === 'button' && (s.name === until || s.text === until)) {
      const missing = Object.keys(answers).filter((k) => !done.has(k));
      expect(missing.length === 0, `${name}: reached the button before the fields ${missing.join(', ')}`);
      await visit(page, `${name.split(' ')[0]}-keyboard-filled`);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      log(`${name}: completed by keyboard in ${stops.length} Tab stops, focus visible on each, in document order`);
      keyboardForms += 1;
      keyboardStops += stops.length;
      return;
    }
    const want = answers[s.name];
    if (want === undefined || done.has(s.name)) continue;
    if (s.tag === 'select') {
      // A closed list box changes its choice with the arrow keys: down through the options, then up.
      for (let k = 0; k < 20 && (await focusState(page)).value !== want; k += 1) await page.keyboard.press('ArrowDown');
      for (let k = 0; k < 20 && (await focusState(page)).value !== want; k += 1) await page.keyboard.press('ArrowUp');
      expect((await focusState(page)).value === want, `${name}: could not choose ${want} in ${s.name} by keyboard`);
    } else if (s.type === 'file') {
      // Space (or Enter) on the file input opens the browser's own file dialog; playwright answers it
      // with the file. On a loaded machine chromium has been seen to drop the first key press: try again.
      let chooser = null;
      for (const key of ['Space', 'Enter', 'Space']) {
        [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 15000 }).catch(() => null), page.keyboard.press(key)]);
        if (chooser) break;
        log(`${name}: ${key} on the file input opened no file dialog within 15 s; trying again`);
      }
      expect(chooser, `${name}: neither Space nor Enter on the file input opened the file dialog`);
      await chooser.setFiles(want);
      expect((await focusState(page)).value.endsWith(want.split('/').pop()), `${name}: the file dialog did not choose ${want}`);
    } else if (s.type === 'radio') {
      for (let k = 0; k < 5 && !(await focusState(page)).checked; k += 1) await page.keyboard.press('Space');
      for (let k = 0; k < 5 && (await focusState(page)).value !== want; k += 1) await page.keyboard.press('ArrowRight');
      const now = await focusState(page);
      expect(now.value === want && now.checked, `${name}: could not choose ${want} for ${s.name} by keyboard`);
      last = now.order;
    } else if (s.type === 'checkbox') {
      if (!s.checked) await page.keyboard.press('Space');
      expect((await focusState(page)).checked, `${name}: Space did not tick ${s.name}`);
    } else {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(want);
    }
    done.add(s.name);
  }
  fail(`${name}: never reached the ${until} button by Tab`);
}

const browser = await chromium.launch({
  executablePath: process.env.SENIM_E2E_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const newPage = async () => {
  const ctx = await browser.newContext({ locale: 'kk-KZ', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  return ctx.newPage();
};

try {
  // 0. axe itself works: a page with known violations must be reported (else "0 violations" means nothing).
  {
    const probe = await newPage();
    await probe.setContent('<!DOCTYPE html><html lang="kk"><head><title>t</title></head><body><main><img src="x.png">'
      + '<input type="text"><p style="color:#bbb;background:#fff">бозғылт</p></main></body></html>');
    const r = await axe(probe);
    const ids = r.violations.map((v) => v.id).sort();
    expect(['color-contrast', 'image-alt', 'label'].every((i) => ids.includes(i)), `axe self-test found only ${ids}`);
    log(`axe ${r.testEngine.version} self-test: a bad page gives ${ids.join(', ')}`);
    await probe.context().close();
  }

  // 1. The public home page; register a new organisation.
  const a = await newPage();
  await go(a, '/', 'home');
  await a.click('header a[href="/register"]');
  await visit(a, 'register');
  // First with mistakes: the error summary and the fields' errors are checked by axe too.
  await a.fill('main [name="email"]', 'not-an-address');
  await a.fill('main [name="org_bin_iin"]', '940140000384');
  await submit(a, '/register', 'register-errors');
  expect(await a.locator('main .error-summary').count(), 'a wrong registration shows no error summary');
  await a.fill('main [name="name"]', 'Әлия Сейтқали');
  await a.fill('main [name="email"]', EMAIL);
  await a.fill('main [name="password"]', PASSWORD);
  await a.fill('main [name="password_confirm"]', PASSWORD);
  await a.fill('main [name="org_bin_iin"]', '940140000385');
  await a.fill('main [name="org_name"]', '«Көз AI» ЖШС');
  await submit(a, '/register', 'register-sent');

  // 2. The administrator reads the demo mailbox and gives the confirmation link.
  const adm = await newPage();
  await signIn(adm, 'admin@demo.senim.kz', PW.admin, 'admin');
  await go(adm, '/admin/mail', 'admin-mail');
  const row = adm.locator('main a[href^="/admin/mail/"]', { has: adm.locator(`text=${EMAIL}`) });
  const mailHref = (await row.count()) > 0 ? await row.first().getAttribute('href')
    : await adm.locator(`main tr:has-text("${EMAIL}") a[href^="/admin/mail/"]`).first().getAttribute('href');
  expect(mailHref, `no e-mail to ${EMAIL} in /admin/mail`);
  await go(adm, mailHref, 'admin-mail-message');
  const body = await adm.locator('main').innerText();
  const link = body.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/);
  expect(link, 'the confirmation e-mail has no /confirm/ link');
  const confirmPath = new URL(link[0]).pathname;

  // 3. The applicant confirms and signs in.
  await go(a, confirmPath, 'confirm');
  if (await a.locator('main form[action="/confirm"]').count()) await submit(a, '/confirm', 'confirmed');
  if (!(await a.locator('header form[action="/signout"]').count())) await signIn(a, EMAIL, PASSWORD, 'applicant');
  await go(a, '/applications', 'applications');

  // 4. Start an application to the Ministry of Health; the task list.
  if (await a.locator('main select[name="body"]').count()) await a.selectOption('main select[name="body"]', 'health');
  await submit(a, '/applications', null);
  const id = a.url().match(/\/applications\/([0-9a-f-]{36})/)?.[1];
  expect(id, `no application id in ${a.url()}`);
  await go(a, `/applications/${id}`, 'task-list');
  const tasks = await a.locator('main ol.task-list a').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')));
  expect(tasks.length >= 5, `the task list has ${tasks.length} tasks`);
  expect(tasks.some((t) => t.endsWith('/edit/models')), 'no models section in the task list');
  let sections = 0;
  for (const href of tasks) {
    if (!href.includes('/edit/')) continue;
    const sec = href.split('/').pop();
    await go(a, href, `section-${sec}`);
    const shown = await a.locator('main form [name]').evaluateAll((es) => es.map((e) => e.getAttribute('name')));
    const answers = Object.fromEntries(Object.entries(ANSWERS).filter(([k]) => shown.includes(k)));
    expect(Object.keys(answers).length > 0, `section ${sec} has no Annex 1 field`);
    if (sec === 'audit') { // an error state first, by keyboard too: a date that is not a date
      await keyboardComplete(a, { ...answers, 'audit.date': '31.31.2026' }, 'continue', `section-audit-wrong (keyboard)`);
      await visit(a, 'section-audit-errors');
      expect(await a.locator('main .error-summary').count(), 'a wrong audit date shows no error summary');
    }
    await keyboardComplete(a, answers, 'continue', `section-${sec} (keyboard)`);
    await visit(a, `section-${sec}-done`);
    expect(!(await a.locator('main .error-summary').count()), `section ${sec} was refused: ${await a.locator('main .error-summary').first().innerText().catch(() => '')}`);
    sections += 1;
  }
  log(`every section of the form (${sections}) completed by keyboard only`);

  // 5. Upload the two PDFs.
  await go(a, `/applications/${id}`, 'documents');
  const kinds = await a.locator('main select[name="kind"] option').evaluateAll((os) => os.map((o) => o.value));
  for (const kind of ['audit_report', 'copyright_certificate']) {
    expect(kinds.includes(kind), `no document kind ${kind}`);
    const path = join(tmp, `${kind}.pdf`);
    writeFileSync(path, makePdf([`${kind}`, 'Kyz AI LLP', '940140000385', 'Audit Pro LLP, 2026-04-01', 'Certificate 55555']));
    const upload = (await a.locator(`main form[action="/applications/${id}/attachments"] button[type=submit]`).innerText()).trim();
    await keyboardComplete(a, { kind, file: path }, upload, `upload-${kind} (keyboard)`);
    await visit(a, `uploaded-${kind}`);
    expect(!(await a.locator('main .error-summary').count()), `the upload of ${kind} was refused`);
  }

  // 6. Check answers and submit by keyboard only.
  await go(a, `/applications/${id}/check`, 'check-answers');
  await keyboardComplete(a, { 'declaration.signatory': ANSWERS['declaration.signatory'], 'declaration.confirmed': 'yes' },
    (await a.locator('#declaration button[type=submit]').innerText()).trim(), 'check-answers (keyboard)');
  await visit(a, 'submitted');
  expect(/Өтінішіңіз қабылданды/.test(await a.locator('main').innerText()), 'no receipt after submitting');

  // 7. The reviewer fails the audit check with a comment.
  const rv = await newPage();
  await signIn(rv, 'reviewer@demo.senim.kz', PW.reviewer, 'reviewer');
  await go(rv, '/review', 'queue');
  expect((await rv.locator('main').innerText()).includes(SYSTEM_KK), 'the queue does not show the new application');
  await go(rv, `/review/${id}`, 'examine');
  if (await rv.locator(`main form[action="/review/${id}/take"]`).count()) await submit(rv, `/review/${id}/take`, 'examine-taken');
  const COMMENT = 'Аудиторлық қорытындыда қол жоқ';
  await rv.check('#completeness-pass'); await rv.check('#copyright-pass'); await rv.check('#audit-fail');
  await rv.fill('#audit-comment', COMMENT);
  await submit(rv, `/review/${id}`, 'decided-fail');

  // 7a. АППК Art. 73: the applicant reads the preliminary decision and objects by keyboard, asking to
  // be heard.
  await go(a, `/applications/${id}`, 'preliminary');
  const preliminary = await a.locator('main #hearing').innerText();
  expect(preliminary.includes(COMMENT) && preliminary.includes('6-тармақтың төртінші абзацы'),
    'the preliminary decision does not carry the comment and its paragraph');
  const OBJECTION = 'Қорытындыға қол қойылған нұсқасын тыңдауда көрсетемін';
  await keyboardComplete(a, { text_kk: OBJECTION, hearing_requested: 'yes' },
    (await a.locator(`main form[action="/applications/${id}/objection"] button[value=object]`).innerText()).trim(),
    'objection (keyboard)');
  await visit(a, 'objected');
  expect((await a.locator('main #hearing').innerText()).includes(OBJECTION), 'the objection is not shown');

  // 7b. АППК Art. 74: the reviewer records the hearing, then issues the notice of nonconformity.
  await go(rv, `/review/${id}`, 'hearing');
  expect((await rv.locator('main #hearing').innerText()).includes(OBJECTION), 'the reviewer does not see the objection');
  await rv.check('#record-form-video');
  await rv.fill('#record-place', 'https://meet.gov.kz/senim-e2e');
  await rv.fill('#record-participants', 'Сарапшы; «Көз AI» ЖШС директоры');
  await rv.fill('#record-summary-kk', 'Өтініш беруші қол қойылмаған қорытындыны мойындады');
  await submit(rv, `/review/${id}/hearing-record`, 'hearing-recorded');
  await rv.check('#decision-nonconforming');
  await rv.fill('#decision-considered-kk', 'Қарсылық қаралды: қорытындыға қол қойылмаған');
  await rv.fill('#decision-position', 'Бас сарапшы');
  await submit(rv, `/review/${id}/decision`, 'decided-notice');

  // 8. The applicant reads the notice (an act, with how to complain), corrects and resubmits.
  await go(a, `/applications/${id}`, 'notice');
  const act = await a.locator('main section.act').first().innerText();
  expect(act.includes('Бас сарапшы') && act.includes('ӘРПК 92-бабы'), 'the notice is not a complete act');
  const notice = await a.locator('main .notice-box').innerText();
  expect(notice.includes(COMMENT), 'the notice does not carry the reviewer\'s comment');
  // The correction, the new upload and the resubmission by keyboard only too.
  await go(a, `/applications/${id}/edit/audit`, 'correct-audit');
  await keyboardComplete(a, { 'audit.conclusions.kk': 'Талаптарға сай, есепке қол қойылды' }, 'continue', 'correct-audit (keyboard)');
  await visit(a, 'corrected');
  await a.goto(`${BASE}/applications/${id}`);
  const signed = join(tmp, 'audit-signed.pdf');
  writeFileSync(signed, makePdf(['audit_report (signed)', 'Kyz AI LLP', '940140000385', 'Audit Pro LLP, 2026-04-01']));
  const uploadAgain = (await a.locator(`main form[action="/applications/${id}/attachments"] button[type=submit]`).innerText()).trim();
  await keyboardComplete(a, { kind: 'audit_report', file: signed }, uploadAgain, 'reupload (keyboard)');
  await visit(a, 'reuploaded');
  expect(!(await a.locator('main .error-summary').count()), 'the new audit report was refused');
  await go(a, `/applications/${id}/check`, 'check-again');
  await keyboardComplete(a, { 'declaration.signatory': ANSWERS['declaration.signatory'], 'declaration.confirmed': 'yes' },
    (await a.locator('#declaration button[type=submit]').innerText()).trim(), 'check-again (keyboard)');
  await visit(a, 'resubmitted');
  expect(/Өтінішіңіз қабылданды/.test(await a.locator('main').innerText()), 'no receipt after resubmitting');

  // 9. The reviewer includes it.
  await go(rv, `/review/${id}`, 'examine-round-2');
  if (await rv.locator(`main form[action="/review/${id}/take"]`).count()) await submit(rv, `/review/${id}/take`, 'examine-round-2-taken');
  for (const c of ['completeness', 'copyright', 'audit']) await rv.check(`#${c}-pass`);
  await submit(rv, `/review/${id}`, 'decided-include');

  // 10. The publisher publishes.
  const pb = await newPage();
  await signIn(pb, 'publisher@demo.senim.kz', PW.publisher, 'publisher');
  await go(pb, '/publish', 'publish');
  expect((await pb.locator('main').innerText()).includes(SYSTEM_KK), 'the publish page does not show the included system');
  // Publication runs in the background: the job's page refreshes itself until the edition is out.
  await submit(pb, '/publish', null);
  expect(pb.url().includes('/publish/jobs/'), `publishing did not lead to the job's page: ${pb.url()}`);
  await pb.locator('main a[href="/bodies/health/editions"]').waitFor({ timeout: 120000 });
  await visit(pb, 'published');

  // 11. The public List: search finds the entry; open it; download the edition files.
  const pub = await newPage();
  await go(pub, '/bodies/health', 'list');
  const q = pub.locator('main input[name="q"]');
  expect(await q.count(), 'the List has no search field');
  await q.fill(stamp);
  await Promise.all([pub.waitForNavigation(), q.press('Enter')]);
  await visit(pub, 'list-search');
  const entry = pub.locator('main a[href*="/bodies/health/entries/"]', { hasText: stamp });
  const entryLinks = await pub.locator('main a[href*="/bodies/health/entries/"]').count();
  expect(entryLinks >= 1 && (await pub.locator('main').innerText()).includes(SYSTEM_KK), 'search does not find the new entry');
  const entryHref = (await entry.count()) ? await entry.first().getAttribute('href')
    : await pub.locator('main a[href*="/bodies/health/entries/"]').first().getAttribute('href');
  await go(pub, entryHref, 'entry');
  await go(pub, '/bodies/health', 'list-again');
  const csvHref = await pub.locator('main a[href*="/files/"][href$=".kk.csv"]').first().getAttribute('href');
  expect(csvHref, 'the List offers no Kazakh CSV');
  const n = csvHref.match(/editions\/(\d+)\/files/)?.[1];
  const csv = await pub.request.get(BASE + csvHref);
  expect(csv.ok(), `${csvHref} answered ${csv.status()}`);
  const csvBytes = await csv.body();
  expect(csvBytes.toString('utf8').includes(SYSTEM_KK), 'the downloaded CSV lacks the new entry');
  const csvPath = join(tmp, `${n}.kk.csv`);
  writeFileSync(csvPath, csvBytes);
  const manifest = await pub.request.get(`${BASE}/api/v1/bodies/health/editions/${n}/files/${n}.json`);
  expect(manifest.ok(), `the edition ${n} manifest answered ${manifest.status()}`);
  const jsonPath = join(tmp, `${n}.json`);
  writeFileSync(jsonPath, await manifest.body());

  // 12. Verify it on the site's /verify page, then with `senim verify --keys`.
  await go(pub, '/verify', 'verify');
  await pub.setInputFiles('main input[type="file"][name="file"]', csvPath);
  await submit(pub, '/verify', 'verify-result');
  const verdict = await pub.locator('main').innerText();
  expect(!(await pub.locator('main .error-summary, main .error').count())
    && (await pub.locator(`main li a[href$="/editions/${n}/files/${n}.kk.csv"]`).count()) > 0,
    `/verify did not recognise the edition ${n} file: ${verdict.slice(0, 300)}`);
  if (BIN) {
    const out = execFileSync(BIN, ['verify', '--keys', BASE, jsonPath, csvPath], { encoding: 'utf8' });
    log(`senim verify: ${out.trim().split('\n').join(' | ')}`);
  } else fail('SENIM_E2E_BIN is not set: cannot run senim verify');

  await a.context().close(); await adm.context().close(); await rv.context().close();
  await pb.context().close(); await pub.context().close();
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}

for (const v of violations) {
  console.log(`axe: ${v.page} (${v.url}): ${v.id} [${v.impact}] ${v.help}`);
  for (const n of v.nodes.slice(0, 5)) console.log(`    ${n}`);
}
console.log(`e2e: the whole flow passed in Kazakh; ${step} screenshots in ${SHOTS}`);
console.log(`keyboard: ${keyboardForms} forms (every section, both uploads, check answers; the correction, new upload and resubmission) completed by keyboard only in ${keyboardStops} Tab stops, focus visible and in document order on each`);
console.log(`axe: ${pagesChecked} page states (${checkedUrls.size} distinct pages) checked, ${violations.length} WCAG 2.1 A/AA violations (axe rules, and reflow at 320 px)`);
if (violations.length) process.exit(1);
