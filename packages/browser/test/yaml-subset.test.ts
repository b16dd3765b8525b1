/**
 * The bundles' YAML-subset stand-in (src/yaml-subset.ts) against the real `yaml` the Node packages use: on front
 * matter inside the subset both give the same values and the same node offsets (which become error positions);
 * on YAML outside it the stand-in reports an error at the construct instead of reading something else; on
 * invalid YAML both fail, on the same line. Then through the built bundle: front-matter blocks draw the same
 * SVG as @wiregram/svg in Node, and front-matter errors carry the same message and position.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LineCounter as RealCounter, parseDocument as realParse } from 'yaml';
import { render as nodeRender } from '@wiregram/svg';
import { LineCounter, parseDocument } from '../src/yaml-subset.js';

const real = (text: string) => {
  const lineCounter = new RealCounter();
  return { doc: realParse(text, { lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
};
const ours = (text: string) => {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter }), lineCounter };
};

/** Every key path of a plain object (nested objects included). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function expectSame(text: string): void {
  const a = real(text);
  const b = ours(text);
  expect(b.doc.errors, text).toEqual([]);
  expect(a.doc.errors, text).toEqual([]);
  const data = a.doc.toJS();
  expect(b.doc.toJS(), text).toEqual(data);
  for (const path of paths(data)) {
    const ra = (a.doc.getIn(path, true) as { range: number[] }).range;
    const rb = b.doc.getIn(path, true)!.range;
    const leaf = typeof a.doc.getIn(path) !== 'object' || a.doc.getIn(path) === null;
    // Leaves: the value's exact span; mappings: where they start (what an error about them points at).
    if (leaf) expect(rb.slice(0, 2), `${text}\n${path.join('.')}`).toEqual(ra.slice(0, 2));
    else expect(rb[0], `${text}\n${path.join('.')}`).toBe(ra[0]);
  }
  for (const offset of [0, text.length >> 1, text.length]) expect(b.lineCounter.linePos(offset)).toEqual(a.lineCounter.linePos(offset));
}

// The subset's grammar, generated: keys, scalars of every resolved type, quoting, comments, blank lines, folding.
const key = fc.oneof(fc.constantFrom('title', 'config', 'packet', 'bitsPerRow', 'showBits', 'bitOrder', 'theme', 'x-y', 'a b', 'Ünï', '-dash', '__proto__'), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/));
const plain = fc.oneof(
  fc.constantFrom('16', '-3', '+7', '0o17', '0x1F', '1.5', '.5', '1e3', '-2.5E-2', '.inf', '-.Inf', '.NaN', 'true', 'False', 'NULL', '~', 'null', 'yes', 'TCP header', 'a:b', 'http://x.test/a#b', 'x # comment', 'ascending', 'Desc', '1.2.3', '0b101', "it's", 'a "q"', 'é 日本'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,()/+=-]{0,12}[A-Za-z0-9]$/),
);
const single = fc.stringMatching(/^[^\n\r']{0,10}$/).map((s) => `'${s}'`);
const double = fc.array(fc.oneof(fc.stringMatching(/^[^\n\r"\\]{1,6}$/), fc.constantFrom('\\"', '\\\\', '\\n', '\\t', '\\x41', '\\u00e9', '\\U0001F600', '\\/', '\\ ', '\\0')), { maxLength: 4 }).map((p) => `"${p.join('')}"`);
const comment = fc.constantFrom('', '', ' # note', '   #x');
type Entry = { key: string; value: string | Entry[] };
const entries: fc.Arbitrary<Entry[]> = fc.letrec<{ map: Entry[] }>((tie) => ({
  map: fc.uniqueArray(fc.record({ key, value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plain, single, double, fc.constant(''), tie('map')) }), { minLength: 1, maxLength: 4, selector: (e) => e.key }),
})).map as fc.Arbitrary<Entry[]>;

function print(map: Entry[], indent: number, step: number, extras: string[]): string {
  return map
    .map((e, i) => {
      const pad = ' '.repeat(indent);
      const k = /^[A-Za-z_][\w -]*$/.test(e.key) && !e.key.endsWith(' ') ? e.key : JSON.stringify(e.key);
      const blank = extras[i % extras.length] === 'blank' ? '\n' : '';
      if (typeof e.value !== 'string') return `${blank}${pad}${k}:${extras[(i + 1) % extras.length] === 'comment' ? ' # sub' : ''}\n${print(e.value, indent + step, step, extras)}`;
      const folded = extras[(i + 2) % extras.length] === 'fold' && /^[A-Za-z]+ [A-Za-z]+$/.test(e.value) ? e.value.replace(' ', `\n${pad}  `) : e.value;
      return `${blank}${pad}${k}: ${folded}${e.value && !e.value.includes('#') && extras[i % extras.length] === 'comment' ? ' # c' : ''}\n`;
    })
    .join('');
}

describe('the YAML subset beside yaml', () => {
  it('reads front matter in the subset exactly as yaml does: values and node offsets', () => {
    fc.assert(
      fc.property(entries, fc.constantFrom(2, 4), fc.array(fc.constantFrom('blank', 'comment', 'fold', ''), { minLength: 1, maxLength: 5 }), comment, (map, step, extras, tail) => {
        expectSame(print(map, 0, step, extras) + tail);
      }),
      { numRuns: 400 },
    );
  });

  it('reads the front matter the docs and Mermaid use', () => {
    for (const text of [
      'title: "TCP header"\nconfig:\n  packet:\n    bitsPerRow: 16\n    showBits: true\n    bitOrder: descending',
      "title: 'it''s a header'  # quoted\nbitsPerRow: 32",
      'title: a long title\n  folded over\n\n  two lines\nshowBits: false',
      'title:\nconfig:\n  theme: dark\n',
      '# only a comment\n\n',
      '',
    ]) expectSame(text);
  });

  it('says where YAML outside the subset starts instead of reading it differently', () => {
    for (const [text, offset] of [
      ['config: { packet: { bitsPerRow: 16 } }', 8],
      ['tags:\n  - a\n  - b', 8],
      ['title: &t x\nother: *t', 7],
      ['title: !!str 12', 7],
      ['title: |\n  block', 7],
      ['title: "two\n  lines"', 11],
    ] as const) {
      const { doc } = ours(text);
      expect(doc.errors, text).toHaveLength(1);
      expect(doc.errors[0]!.message, text).toMatch(/browser build reads plain `key: value` front matter only|quote/);
      expect(doc.errors[0]!.pos[0], text).toBe(offset);
    }
  });

  it('rejects invalid YAML where yaml does, on the same line', () => {
    for (const text of ['title: a\ntitle: b', 'title: "abc', 'a:\n  b: 1\n c: 2', 'title: a: b', 'x: 1\n\ty: 2', 'title: "bad \\q escape"', 'a: 1\n  b: 2']) {
      const a = real(text);
      const b = ours(text);
      expect(a.doc.errors.length, text).toBeGreaterThan(0);
      expect(b.doc.errors.length, text).toBeGreaterThan(0);
      expect(b.lineCounter.linePos(b.doc.errors[0]!.pos[0]).line, text).toBe(a.lineCounter.linePos(a.doc.errors[0]!.pos[0]).line);
    }
  });
});

describe('front matter through the built bundle', () => {
  const bundle = fileURLToPath(new URL('../dist/wiregram.min.js', import.meta.url));
  const HEADER = '0-15: "Source Port"\n16-31: "Destination Port"\n32-63: "Sequence Number"';
  const load = async () => (await import(/* @vite-ignore */ bundle)) as { render: typeof nodeRender };

  it('draws the same SVG as @wiregram/svg in Node', async () => {
    const { render } = await load();
    for (const fm of ['title: "say \\"hi\\""\nconfig:\n  packet:\n    bitsPerRow: 16\n    showBits: true', "title: 'Ports'\nbitOrder: descending", 'config:\n  bitsPerRow: 8\ntitle: 1e3']) {
      const source = `---\n${fm}\n---\n${HEADER}`;
      expect(render(source, { language: 'packet-header' }).svg, fm).toBe(nodeRender(source, { language: 'packet-header' }).svg);
    }
  });

  it('reports front-matter errors with the same message and position as Node', async () => {
    const { render } = await load();
    for (const fm of ['title: a\ntitle: b', 'config:\n  packet:\n    bitsPerRow: 0', 'bitOrder: sideways', 'showBits: 3', 'title:\n  a: 1', 'title: "open']) {
      const source = `---\n${fm}\n---\n${HEADER}`;
      const message = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      };
      const node = message(() => nodeRender(source, { language: 'packet-header' }));
      const ours = message(() => render(source, { language: 'packet-header' }));
      expect(node, fm).not.toBe('no error');
      // The position and the first words always agree; the stand-in may add why (a subset) after yaml's words.
      expect(ours.startsWith(node.replace(/ \(.*$/, '')) || ours === node, `${fm}\nnode: ${node}\nours: ${ours}`).toBe(true);
    }
  });
});
