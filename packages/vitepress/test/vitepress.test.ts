/**
 * @wiregram/vitepress without VitePress: the config helpers, and the fence rule against a stand-in for
 * VitePress's own (pre-wrapper and code-group container, as VitePress 1.6 writes them) with real markdown-it
 * and the Vue template compiler. The real site is test/hosts/vitepress.test.ts.
 */
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { compile } from '@vue/compiler-dom';
import { useWiregram, vitepressOptions, wiregramMarkdown, withWiregram } from '../src/index.js';

/** VitePress's pre-wrapper (markdown-it fence rule) and `::: code-group` container, reduced to what matters. */
function vitepressLike(md: InstanceType<typeof MarkdownIt>): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens: any[], idx: number, options: any, env: any, self: any) => {
    const token = tokens[idx]!;
    token.info = token.info.replace(/\[.*\]/, '');
    const active = / active( |$)/.test(token.info) ? ' active' : '';
    token.info = token.info.replace(/ active$/, '').replace(/ active /, ' ');
    return `<div class="language-${token.info.trim()}${active}">` + fence(tokens, idx, options, env, self) + '</div>';
  };
  md.block.ruler.before('fence', 'code_group', (state: any, start: number, _end: number, silent: boolean) => {
    const line = state.src.slice(state.bMarks[start]! + state.tShift[start]!, state.eMarks[start]);
    if (line !== '::: code-group' && line !== ':::') return false;
    if (silent) return true;
    const open = line !== ':::';
    state.push(open ? 'container_code-group_open' : 'container_code-group_close', 'div', open ? 1 : -1);
    state.line = start + 1;
    return true;
  });
  md.core.ruler.push('code_group_active', (state: any) => {
    let first = false;
    for (const t of state.tokens as Array<{ type: string; info: string }>) {
      if (t.type === 'container_code-group_open') first = true;
      else if (first && t.type === 'fence') {
        t.info += ' active';
        first = false;
      }
    }
  });
}

const GROUP = '::: code-group\n\n```tcp-sequence [Open]\nparticipant a\nparticipant b\na -> b: SYN\n```\n\n```packet-header [UDP]\nudp\n```\n\n:::\n';

describe('@wiregram/vitepress', () => {
  it('defaults: Vue-safe output, the dark class VitePress toggles; explicit options win', () => {
    expect(vitepressOptions()).toEqual({ vue: true, darkClass: 'dark' });
    expect(vitepressOptions({ darkSelector: 'html.night' })).toEqual({ vue: true, darkSelector: 'html.night' });
    expect(vitepressOptions({ theme: 'light', labelStyle: 'flags' })).toEqual({ vue: true, theme: 'light', labelStyle: 'flags' });
  });

  it('withWiregram keeps a markdown.config the site already has (it runs first)', async () => {
    const order: string[] = [];
    const config = withWiregram({ title: 'x', markdown: { lineNumbers: true, config: (_md: unknown) => void order.push('site') } });
    expect(config.title).toBe('x');
    expect(config.markdown.lineNumbers).toBe(true);
    const md = new MarkdownIt();
    await config.markdown.config(md);
    order.push(md.render('```packet-header\nudp\n```\n').includes('wiregram-packet-header') ? 'wiregram' : 'missing');
    expect(order).toEqual(['site', 'wiregram']);
    expect(typeof wiregramMarkdown()).toBe('function');
  });

  it('code groups: tab titles and the active mark are not fence options; each diagram is a switchable block', () => {
    const md = new MarkdownIt({ html: true });
    vitepressLike(md);
    const reports: string[] = [];
    useWiregram(md, { log: (line) => reports.push(line) });
    const html = md.render(GROUP, {});
    expect(reports).toEqual([]);
    expect(html.match(/<div class="vp-block wiregram-block( active)?"><figure class="wiregram wiregram-/g)).toHaveLength(2);
    expect(html).toContain('<div class="vp-block wiregram-block active"><figure class="wiregram wiregram-tcp-sequence"');
    // Outside a code group a diagram is not wrapped, and other code still goes through VitePress's rule.
    const plain = md.render('```packet-header\nudp\n```\n\n```js\nx\n```\n', {});
    expect(plain).toMatch(/^<figure class="wiregram wiregram-packet-header">/);
    expect(plain).toContain('<div class="language-js">');
    const problems: string[] = [];
    compile(`<div>${html}${plain}</div>`, { onError: (e) => problems.push(e.message), onWarn: (e) => problems.push(e.message) });
    expect(problems).toEqual([]);
  });
});
