// The HTML drift report from a real fleet run (hosts 20–23 and one that cannot be
// reached), opened in Debian's headless Chromium through puppeteer-core: the counts on
// the page are the JSON report's, folded hosts share a row, a drifted cell opens its
// diff, secrets are absent from the page, the keyboard works, and 5000 hosts render
// only the rows in view.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { FLEET_KEY, fleetIp, KNOWN_HOSTS, ROOT, tend, writeTemp } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'tok-SECRETVALUE-9f3a';
const PLAYBOOK = `- name: html report
  hosts: all
  tasks:
    - name: config dir
      file: { path: /etc/tend-html, state: directory }
    - name: motd
      copy:
        dest: /etc/tend-html/motd
        content: "managed by tend\\nrelease {{ release }}\\n<b id=\\"injected\\">bold</b>\\n"
    - name: api token
      copy: { dest: /etc/tend-html/token, content: "${SECRET}\\n", mode: "0600", secret: true }
    - name: owned file
      copy: { dest: "{{ owned_path }}", content: "x\\n" }
    - name: index
      shell: { cmd: "date > /etc/tend-html/index", creates: /etc/tend-html/index }
`;

interface Report {
  totals: { hosts: number; inSync: number; changed: number; failed: number; unreachable: number; tasks: { ok: number; wouldChange: number; wouldChangeAfterEarlier: number; failed: number; skipped: number } };
  hosts: { name: string; status: string; tasks: { status: string; afterTask?: unknown; changes: { subject: string; after?: string | null }[] }[] }[];
}

/** Status counts the page shows: hosts (rows weighted by how many hosts they fold) and task cells. */
async function pageCounts(page: Page) {
  return page.evaluate(() => {
    const hosts: Record<string, number> = {};
    const tasks: Record<string, number> = {};
    for (const tr of document.querySelectorAll('#matrix tr[data-row]')) {
      const n = Number(tr.getAttribute('data-hosts'));
      const status = tr.getAttribute('data-status')!;
      hosts[status] = (hosts[status] ?? 0) + n;
      for (const td of tr.querySelectorAll('td.c')) {
        const s = td.getAttribute('data-status')!;
        tasks[s] = (tasks[s] ?? 0) + n;
      }
    }
    const totals: Record<string, number> = {};
    for (const li of document.querySelectorAll('ul.totals li')) totals[li.getAttribute('data-total')!] = Number(li.querySelector('b')!.textContent);
    return { hosts, tasks, totals };
  });
}

/** What the page's Content-Security-Policy refused, per page: a refused script or style is a failure. */
const refused = new WeakMap<Page, string[]>();

async function open(browser: Browser, file: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const failures: string[] = [];
  const violations: string[] = [];
  refused.set(page, violations);
  page.on('pageerror', (e) => failures.push(String(e)));
  page.on('requestfailed', (r) => failures.push(`request ${r.url()}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.exposeFunction('tendCspViolation', (v: string) => violations.push(v));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { tendCspViolation: (v: string) => void }).tendCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  await page.goto(`file://${file}`);
  // A script the policy refused never sets data-ready: the wait fails.
  await page.waitForSelector('body[data-ready]', { timeout: 20_000 });
  assert.deepEqual(failures, [], 'the page runs without errors and requests nothing');
  assert.deepEqual(violations, [], 'the policy refuses nothing the page needs');
  // The stylesheets apply: one rule of the page's own, one of diff2html's.
  assert.equal(await page.$eval('table.matrix', (t) => getComputedStyle(t).borderCollapse), 'separate');
  assert.equal(await page.evaluate(() => [...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.cssText.includes('.d2h-wrapper')))), true);
  return page;
}

/** Closes a page, failing if its policy refused anything while the test used it. */
async function close(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  assert.deepEqual(refused.get(page), [], 'the policy refused nothing the page did');
  await page.close();
}

describe('the HTML report, in a real browser', () => {
  let browser: Browser;
  let reportFile: string;
  let htmlFile: string;
  let report: Report;
  let code: number;

  before(async () => {
    const inventory = writeTemp(
      'inventory.yml',
      [
        'all:',
        `  vars: { ansible_user: root, ansible_ssh_private_key_file: ${FLEET_KEY}, release: "1.0", owned_path: /etc/tend-html/owned }`,
        '  hosts:',
        `    tend-20: { ansible_host: ${fleetIp(20)} }`,
        `    tend-21: { ansible_host: ${fleetIp(21)} }`,
        // A directory where a file is managed: the task fails on this host.
        `    tend-22: { ansible_host: ${fleetIp(22)}, owned_path: /etc }`,
        `    tend-23: { ansible_host: ${fleetIp(23)} }`,
        '    tend-gone: { ansible_host: 127.0.0.1, ansible_port: 1 }',
        '',
      ].join('\n'),
    );
    const playbook = writeTemp('html.yml', PLAYBOOK);
    const args = ['-i', inventory, '--known-hosts', KNOWN_HOSTS];
    const converge = await tend(['apply', playbook, ...args, '--limit', 'tend-23']);
    assert.equal(converge.code, 0, converge.stdout + converge.stderr);
    reportFile = writeTemp('report.json', '');
    htmlFile = join(dirname(reportFile), 'report.html');
    const r = await tend(['check', playbook, ...args, '--json', reportFile, '--html', htmlFile]);
    code = r.code;
    assert.equal(code, 1 | 2 | 4, r.stdout + r.stderr);
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is needed (apt-get install chromium)`);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the counts of the JSON report: hosts by status, task cells by status, totals', async () => {
    const page = await open(browser, htmlFile);
    const shown = await pageCounts(page);
    const hostsByStatus: Record<string, number> = {};
    for (const h of report.hosts) hostsByStatus[h.status] = (hostsByStatus[h.status] ?? 0) + 1;
    assert.deepEqual(shown.hosts, hostsByStatus);
    assert.deepEqual(shown.totals, {
      ok: report.totals.inSync,
      changed: report.totals.changed,
      failed: report.totals.failed,
      unreachable: report.totals.unreachable,
      hosts: report.totals.hosts,
    });
    // Every task result is one cell; unreachable hosts' cells say so.
    const t = report.totals.tasks;
    const tasksOnPage = shown.tasks;
    assert.equal(tasksOnPage.ok ?? 0, t.ok);
    assert.equal(tasksOnPage['would-change'] ?? 0, t.wouldChange + t.wouldChangeAfterEarlier);
    assert.equal(tasksOnPage.failed ?? 0, t.failed);
    assert.equal(tasksOnPage.skipped ?? 0, t.skipped);
    assert.equal(tasksOnPage.unreachable, 5, 'the unreachable host: one cell per task');
    assert.ok(t.failed === 1 && t.ok === 5 && t.wouldChange > 0, JSON.stringify(t));
    await close(page);
  });

  it('its policy has no unsafe-inline, and refuses a script or style it did not bring', async () => {
    const page = await open(browser, htmlFile);
    const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content') ?? '');
    assert.doesNotMatch(policy, /unsafe-inline/);
    assert.match(policy, /script-src 'sha256-[A-Za-z0-9+/]+=*';/);
    assert.match(policy, /style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    // What a value that escaped into the markup would try: an inline script, an inline style.
    const injected = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.tendInjected = 1';
      document.body.appendChild(script);
      const style = document.createElement('style');
      style.textContent = 'body { margin-left: 77px }';
      document.head.appendChild(style);
      const div = document.createElement('div');
      div.setAttribute('style', 'margin-left: 55px');
      document.body.appendChild(div);
      return [(window as unknown as { tendInjected?: number }).tendInjected ?? null, getComputedStyle(document.body).marginLeft, getComputedStyle(div).marginLeft];
    });
    assert.deepEqual(injected, [null, '0px', '0px'], 'refused: the policy is in force');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const violations = refused.get(page)!;
    assert.ok(violations.some((v) => v.startsWith('script-src')) && violations.some((v) => v.startsWith('style-src')), violations.join('\n'));
    violations.length = 0;
    await close(page);
  });

  it('folds hosts with identical differences into one row', async () => {
    const page = await open(browser, htmlFile);
    const rows = await page.$$eval('#matrix tr[data-row] th', (ths) => ths.map((th) => th.getAttribute('title')));
    assert.deepEqual(rows.sort(), ['tend-20, tend-21', 'tend-22', 'tend-23', 'tend-gone']);
    await close(page);
  });

  it('a drifted cell opens its diff; HTML in the content stays text; secrets are absent', async () => {
    const page = await open(browser, htmlFile);
    const source = readFileSync(htmlFile, 'utf8');
    assert.ok(!source.includes(SECRET), 'the secret value is not in the page source');
    const motd = await page.$('tr[data-hosts="2"] td[data-col="1"]');
    assert.ok(motd, 'the folded row has a motd cell');
    await motd.click();
    await page.waitForSelector('#detail:not([hidden]) .d2h-wrapper');
    const added = await page.$$eval('#detail .d2h-ins .d2h-code-line-ctn', (lines) => lines.map((l) => l.textContent));
    assert.deepEqual(added, ['managed by tend', 'release 1.0', '<b id="injected">bold</b>']);
    assert.equal(await page.$('#injected'), null, 'content is shown as text, never as markup');
    const hosts = await page.$eval('#detail p.hosts', (p) => p.textContent);
    assert.equal(hosts, '2 hosts: tend-20, tend-21');

    const token = await page.$('tr[data-hosts="2"] td[data-col="2"]');
    await token!.click();
    const detail = await page.$eval('#detail', (d) => d.textContent ?? '');
    assert.match(detail, /\/etc\/tend-html\/token: content differs \(secret\)/);
    assert.ok(!(await page.content()).includes(SECRET));

    const failed = await page.$('tr[data-status="failed"] td[data-status="failed"]');
    await failed!.click();
    assert.match(await page.$eval('#detail pre.error', (p) => p.textContent ?? ''), /can not use content with a dir as dest/);
    await close(page);
  });

  it('the keyboard moves through the grid, opens a cell and closes it again', async () => {
    const page = await open(browser, htmlFile);
    // Tab from the page's start reaches the grid after the filters' controls.
    await page.focus('#matrix tr[data-row="0"] th');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => {
      const a = document.activeElement!;
      return [a.parentElement!.getAttribute('data-row'), a.getAttribute('data-col'), a.getAttribute('tabindex')];
    });
    assert.deepEqual(focused, ['1', '0', '0']);
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('#detail', (d) => (d as HTMLElement).hidden), false);
    assert.equal(await page.evaluate(() => document.activeElement!.id), 'detail');
    await page.keyboard.press('Escape');
    assert.equal(await page.$eval('#detail', (d) => (d as HTMLElement).hidden), true);
    assert.deepEqual(
      await page.evaluate(() => [document.activeElement!.parentElement!.getAttribute('data-row'), document.activeElement!.getAttribute('data-col')]),
      ['1', '0'],
      'focus returns to the cell',
    );
    // Every cell says its status in words, not by colour alone.
    const labels = await page.$$eval('#matrix td.c', (tds) => tds.map((td) => td.getAttribute('aria-label') ?? ''));
    assert.ok(labels.every((l) => /: (ok|would change|failed|skipped|host unreachable: not run|would change after task \d+)$/.test(l)), labels.join('\n'));
    await close(page);
  });

  it('filters by status, host pattern, task and text', async () => {
    const page = await open(browser, htmlFile);
    const rowsShown = () => page.$$eval('#matrix tr[data-row] th', (ths) => ths.map((th) => th.getAttribute('title')).sort());
    await page.click('#f-status input[value="ok"]');
    assert.deepEqual(await rowsShown(), ['tend-20, tend-21', 'tend-22', 'tend-gone']);
    await page.click('#f-status input[value="ok"]');
    await page.type('#f-host', 'tend-2?');
    await page.waitForFunction(() => document.querySelectorAll('#matrix tr[data-row]').length === 3);
    assert.deepEqual(await rowsShown(), ['tend-20, tend-21', 'tend-22', 'tend-23']);
    await page.$eval('#f-host', (i) => ((i as HTMLInputElement).value = ''));
    await page.type('#f-search', 'release 1.0');
    await page.waitForFunction(() => document.querySelectorAll('#matrix tr[data-row]').length === 2);
    assert.deepEqual(await rowsShown(), ['tend-20, tend-21', 'tend-22']);
    await page.select('#f-task', '1');
    assert.equal(await page.$$eval('#matrix thead th', (ths) => ths.length), 3, 'hosts, status and the one task');
    assert.match(await page.$eval('#shown', (o) => o.textContent ?? ''), /showing 3 hosts of 5 in 2 rows/);
    await close(page);
  });

  it('tend report html makes the same page from the saved JSON report; a screenshot is kept', async () => {
    const again = join(dirname(reportFile), 'again.html');
    const r = await tend(['report', 'html', reportFile, '-o', again]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /5 host\(s\), exit code 7/);
    const data = (file: string) => /<script type="application\/json" id="tend-data">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'))![1];
    assert.equal(data(again), data(htmlFile));
    const page = await open(browser, again);
    const shot = process.env.TEND_SCREENSHOT ?? join(dirname(reportFile), 'report.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.click('tr[data-hosts="2"] td[data-col="1"]');
    await page.waitForSelector('#detail:not([hidden]) .d2h-wrapper');
    await page.screenshot({ path: shot as `${string}.png` });
    assert.ok(statSync(shot).size > 10_000);
    assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [...Buffer.from('PNG')]);
    await close(page);
  });

  it('5000 hosts: only the rows in view are drawn, the rest as they scroll in', async () => {
    const base = JSON.parse(readFileSync(reportFile, 'utf8'));
    const drifted = base.hosts.find((h: { name: string }) => h.name === 'tend-20');
    // Every host different (its name in the content), so no two fold: 5000 rows.
    base.hosts = Array.from({ length: 5000 }, (_, i) => ({
      ...drifted,
      name: `web-${i}`,
      tasks: drifted.tasks.map((t: { changes: { after?: string | null }[] }) => ({
        ...t,
        changes: t.changes.map((c) => (typeof c.after === 'string' ? { ...c, after: `${c.after}host web-${i}\n` } : c)),
      })),
    }));
    const big = writeTemp('big.json', JSON.stringify(base));
    const bigHtml = join(dirname(big), 'big.html');
    const r = await tend(['report', 'html', big, '-o', bigHtml]);
    assert.equal(r.code, 0, r.stderr);
    const page = await open(browser, bigHtml);
    const drawn = () => page.$$eval('#matrix tr[data-row]', (trs) => trs.length);
    const first = await drawn();
    // Rows not drawn yet hold their place at their height (set through the CSSOM, not a style attribute).
    const placeholder = await page.$eval('#matrix tbody:last-child tr.placeholder td', (td) => (td as HTMLElement).offsetHeight);
    assert.equal(placeholder, 100 * 31);
    assert.ok(first > 0 && first <= 1000, `rows drawn at first: ${first}`);
    await page.$eval('.matrix-wrap', (w) => w.scrollTo(0, w.scrollHeight));
    await page.waitForSelector('#matrix tr[data-row="4999"]');
    assert.ok((await drawn()) < 5000, 'rows between are not drawn');
    // On paper every row is there, and the filters are not.
    await page.emulateMediaType('print');
    await page.waitForFunction(() => document.querySelectorAll('#matrix tr[data-row]').length === 5000);
    assert.equal(await page.$eval('form.filters', (f) => getComputedStyle(f).display), 'none');
    await close(page);
  });

  it('the seed on 100 hosts makes a page under 2 MB', async () => {
    const seedReport = writeTemp('seed.json', '');
    const inventory = writeTemp('seed-inventory.yml', `all:\n  vars: { ansible_user: root, ansible_ssh_private_key_file: ${FLEET_KEY} }\n  hosts:\n    tend-21: { ansible_host: ${fleetIp(21)} }\n`);
    const r = await tend(['check', join(ROOT, 'playbooks/postfix-sasl-tls.yml'), '-i', inventory, '--known-hosts', KNOWN_HOSTS, '--json', seedReport]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const base = JSON.parse(readFileSync(seedReport, 'utf8'));
    const one = base.hosts[0];
    base.hosts = Array.from({ length: 100 }, (_, i) => ({
      ...one,
      name: `mx-${i}`,
      tasks: one.tasks.map((t: { changes: { after?: string | null }[] }) => ({
        ...t,
        changes: t.changes.map((c) => (typeof c.after === 'string' ? { ...c, after: `${c.after}# mx-${i}\n` } : c)),
      })),
    }));
    writeFileSync(seedReport, JSON.stringify(base));
    const out = join(dirname(seedReport), 'seed.html');
    assert.equal((await tend(['report', 'html', seedReport, '-o', out])).code, 0);
    const size = statSync(out).size;
    assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
  });
});
