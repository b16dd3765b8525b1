import { chromium } from 'playwright-core';
const [,, ...files] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1200, height: 800 } });
const errs = [];
p.on('console', m => { if (m.type() === 'error') errs.push(m.text()); });
p.on('pageerror', e => errs.push(String(e)));
for (const f of files) {
  const [src, out, scheme] = f.split(',');
  if (scheme) await p.emulateMedia({ colorScheme: scheme });
  await p.goto('file://' + src);
  await p.screenshot({ path: out, fullPage: true });
  console.log(out, errs.splice(0).join(' | '));
}
await b.close();
