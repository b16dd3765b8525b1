import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const { chromium } = createRequire(import.meta.url)('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const src = readFileSync(process.argv[2]);
const blocks = [];
for (let i = 0; i < 100; i++) {
  if (i % 4 === 3) blocks.push(['packet-header', `tcp\nbytes ${(1000 + i).toString(16).padStart(4, '0')} d431 0000 0001 0000 0000 5002 faf0 e6c1 0000`]);
  else if (i % 4 === 0) blocks.push(['tcp-sequence', `participant c${i}\nparticipant s${i}\nisn c${i}=${1000 + i} s${i}=${5000 + i}\nc${i} -> s${i}: SYN\ns${i} -> c${i}: SYN, ACK\nc${i} -> s${i}: ACK`]);
  else if (i % 4 === 1) blocks.push(['tcp-sequence', `participant client\nparticipant server\nisn client=${i} server=${i * 7}\nclient -> server: SYN\nserver -> client: SYN, ACK\nclient -> server: ACK\nclient -> server: PSH, ACK len=${100 + i}\nserver -> client: ACK\nclient -> server: PSH, ACK len=${200 + i}\nserver -> client: ACK`]);
  else blocks.push(['tcp-sequence', `title close ${i}\nparticipant client\nparticipant server\nstate client=ESTABLISHED server=ESTABLISHED\nseq client=${i} server=${i * 3}\nclient -> server: FIN, ACK\nserver -> client: ACK\nserver -> client: FIN, ACK\nclient -> server: ACK`]);
}
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const body = blocks.map(([l, s]) => `<pre><code class="language-${l}">${esc(s)}</code></pre>`).join('\n');
const p = await browser.newPage();
await p.route('http://b.test/**', (r) => r.request().url().endsWith('.js') ? r.fulfill({ contentType: 'text/javascript', body: src }) : r.fulfill({ contentType: 'text/html', body: `<!doctype html><body>${body}<script type="module">import * as w from '/w.js'; window.w = w; window.ready = true;</script>` }));
await p.goto('http://b.test/');
await p.waitForFunction(() => window.ready);
const cdp = await p.context().newCDPSession(p);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const t = await p.evaluate(`(${readFileSync('/tmp/ev.js', 'utf8')})(${process.argv[3] || '{}'})`);
const { profile } = await cdp.send('Profiler.stop');
writeFileSync('/tmp/chrome.cpuprofile', JSON.stringify(profile));
console.log('wall', t);
await browser.close();
