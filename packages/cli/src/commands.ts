/** The command table: options, usage and help text. Pure data, so `--help` loads nothing else. */
import type { CommandSpec, OptionSpec } from './args.js';

export const LANGS = ['markdown', 'tcp-sequence', 'packet-header'] as const;
export const STYLES = ['states', 'lifeline', 'flow', 'stevens', 'tcptrace', 'throughput', 'rtt', 'window'] as const;
export const LABEL_STYLES = ['textbook', 'flags', 'wireshark'] as const;
export const STATE_NAMES = ['underscore', 'hyphen'] as const;
export const NUMBERING = ['relative', 'absolute'] as const;
export const SIZES = ['16:9', '4:3', 'a4', 'letter', 'fit'] as const;
export const THEMES = ['light', 'dark', 'auto'] as const;
/** core's ELIDE_MODES, written out so that `--help` loads nothing (a test keeps them equal). */
export const ELIDE = ['auto', 'on', 'off'] as const;

const help: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'show this help' };
const color: OptionSpec = { name: 'color', type: 'boolean', description: 'force colour on (--no-color: off); default: on a TTY, honouring NO_COLOR / FORCE_COLOR' };
const lang: OptionSpec = {
  name: 'lang',
  short: 'l',
  type: 'string',
  values: LANGS,
  valueName: 'LANG',
  description: 'treat every input as markdown, tcp-sequence or packet-header (default: by file extension; stdin is sniffed)',
};
const root: OptionSpec = {
  name: 'root',
  type: 'string',
  valueName: 'DIR',
  description: 'project root; `capture` statements may only read files inside it',
  defaultText: 'the current directory',
};
const diagramOptions: OptionSpec[] = [
  { name: 'style', type: 'string', values: STYLES, valueName: 'STYLE', description: 'timing-diagram layout: states, lifeline or flow; or a TCP stream graph: stevens, tcptrace, throughput, rtt or window', defaultText: 'states' },
  { name: 'direction', type: 'string', valueName: 'DIR', description: 'stream graphs: the data sender to draw (a participant id, e.g. client) or reverse', defaultText: 'the endpoint that sent more data' },
  { name: 'label-style', type: 'string', values: LABEL_STYLES, valueName: 'STYLE', description: 'segment labels: textbook (SYN, seq=x), flags (SYN=1, seq=x) or wireshark', defaultText: 'textbook' },
  { name: 'state-names', type: 'string', values: STATE_NAMES, valueName: 'STYLE', description: 'SYN_SENT (underscore) or SYN-SENT (hyphen)' },
  { name: 'numbering', type: 'string', values: NUMBERING, valueName: 'MODE', description: 'relative or absolute sequence numbers (wireshark labels)' },
  { name: 'elide', type: 'string', values: ELIDE, valueName: 'MODE', description: 'fold runs of unremarkable segments into one labelled gap: auto (long diagrams), on, off', defaultText: "the block's option elide, else off" },
];
/**
 * Output budgets (issue 14): each flag sets the API option its error names (`--max-elements` → maxElements).
 * The defaults are the packages' own (DEFAULT_BUDGET, DEFAULT_MAX_PAGES, the Markdown hosts' maxPageBytes),
 * written out so that `--help` loads nothing; a test keeps them equal.
 */
export const BUDGET_DEFAULTS = { maxElements: 60_000, maxTextBytes: 4_000_000, maxPageBytes: 64_000_000, maxPages: 10_000 } as const;
export type BudgetOption = keyof typeof BUDGET_DEFAULTS;
/** `maxTextBytes` → `max-text-bytes`, the flag's name. */
export const budgetFlag = (option: BudgetOption): string => option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
function budget(option: BudgetOption, description: string): OptionSpec {
  const n = BUDGET_DEFAULTS[option];
  return { name: budgetFlag(option), type: 'string', valueName: 'N', description, defaultText: String(n), positiveInteger: n * 2 };
}
const maxElements = budget('maxElements', 'most drawn elements (shapes and texts) in one diagram');
const maxTextBytes = budget('maxTextBytes', 'most bytes of text (labels, notes, title) in one diagram');
const quiet: OptionSpec = { name: 'quiet', short: 'q', type: 'boolean', description: 'print only errors' };
const watch: OptionSpec = { name: 'watch', short: 'w', type: 'boolean', description: 're-render when an input changes (Ctrl-C to stop)' };

export const COMMANDS: Record<string, CommandSpec> = {
  render: {
    name: 'render',
    summary: 'draw diagrams as SVG, PDF or PNG files',
    usage: 'wiregram render <inputs…> [options]',
    description: [
      'Each input is a Markdown file (every ```tcp-sequence and ```packet-header block becomes',
      'DIR/<name>-<n>.svg, n counting blocks from 1), a diagram file (.tcpseq .seq .wiregram .wg →',
      'tcp-sequence; .pkt .packet .pkthdr → packet-header; written as DIR/<name>.svg), a quoted glob',
      "('docs/**/*.md'), or - for stdin, which writes to stdout.",
      'Everything is rendered in memory first: on any error nothing is written. All files of a run are',
      'replaced together (or none is), unchanged files are left alone, and an input is never overwritten.',
      'Each output folder keeps .wiregram-outputs.json, the list of files wiregram wrote there; --clean and',
      '--watch remove those whose input or block is gone, and nothing else.',
      'Budgets bound the work: a diagram past --max-elements or --max-text-bytes, or an input file whose',
      'images add up to more than --max-page-bytes, is an error that names the flag to raise.',
    ].join('\n'),
    minPositionals: 1,
    options: [
      { name: 'out-dir', short: 'o', type: 'string', valueName: 'DIR', description: 'where to write the images', defaultText: "each input's own directory" },
      { name: 'format', short: 'f', type: 'string', values: ['svg', 'pdf', 'png'], valueName: 'FMT', description: 'svg, pdf or png (a picture for PowerPoint, Keynote, Google Slides, Word)', defaultText: 'svg' },
      { name: 'theme', short: 't', type: 'string', values: THEMES, valueName: 'THEME', description: 'light, dark, or auto (SVG follows prefers-color-scheme)', defaultText: 'auto for SVG, light for PDF and PNG' },
      {
        name: 'styles',
        type: 'string',
        values: ['inline', 'resolved'],
        valueName: 'HOW',
        description: "SVG colours: inline (CSS custom properties, light/dark) or resolved (the colours themselves, one theme — for Typst, rsvg-convert, Inkscape, which ignore custom properties)",
        defaultText: 'inline',
      },
      { name: 'scale', type: 'string', valueName: 'N', description: 'with -f png: pixels per SVG pixel (up to 16)', defaultText: '2' },
      { name: 'dpi', type: 'string', valueName: 'N', description: 'with -f png: dots per inch instead of --scale (96 = scale 1)' },
      { name: 'max-pixels', type: 'string', valueName: 'N', description: 'with -f png: most pixels (width × height) in one picture', defaultText: '64000000', positiveInteger: 128_000_000 },
      ...diagramOptions,
      lang,
      { name: 'markdown-out', short: 'm', type: 'string', valueName: 'DIR', description: 'also write each Markdown input to DIR with its blocks replaced (- : stdout)' },
      { name: 'embed', type: 'string', values: ['link', 'inline'], valueName: 'HOW', description: 'with --markdown-out: link the image files, or inline the SVG', defaultText: 'link' },
      { name: 'clean', type: 'boolean', description: 'remove outputs wiregram wrote earlier whose input or block is gone (always on with --watch)' },
      maxElements,
      maxTextBytes,
      budget('maxPageBytes', "most bytes of images (SVG, PDF or PNG) one input file's diagrams add up to"),
      watch,
      root,
      quiet,
      color,
      help,
    ],
    examples: [
      'wiregram render post.md                     # post-1.svg, post-2.svg next to post.md',
      "wiregram render 'docs/**/*.md' -o public/diagrams",
      'wiregram render handshake.tcpseq --format pdf --theme light',
      'wiregram render lecture.md -f png --scale 3 -o slides/img      # pictures for PowerPoint/Keynote',
      'wiregram render lecture.md -t light --styles resolved -o fig   # SVG for Typst / rsvg-convert',
      'wiregram render post.md -o public/img --markdown-out build/   # build/post.md links the images',
      'wiregram render - < handshake.tcpseq > handshake.svg',
      'wiregram render docs/*.md -o out --watch',
    ],
  },
  deck: {
    name: 'deck',
    summary: 'put every diagram of the inputs into one multi-page PDF',
    usage: 'wiregram deck <inputs…> -o deck.pdf [options]',
    description: [
      'One page per diagram, in input order (blocks in document order). With --steps, a timing',
      'diagram becomes one page per segment, so slides can reveal the exchange arrow by arrow.',
      'Budgets bound the work: a diagram past --max-elements or --max-text-bytes, or a deck of more than',
      '--max-pages pages, is an error that names the flag to raise.',
    ].join('\n'),
    minPositionals: 1,
    options: [
      { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'the PDF to write (required; - for stdout)' },
      { name: 'steps', short: 's', type: 'boolean', description: 'one page per step (segment) of each timing diagram' },
      { name: 'size', type: 'string', values: SIZES, valueName: 'SIZE', description: 'page size: 16:9, 4:3, a4, letter, or fit (each page fits its diagram)', defaultText: '16:9' },
      { name: 'theme', short: 't', type: 'string', values: ['light', 'dark'], valueName: 'THEME', description: 'light or dark', defaultText: 'light' },
      ...diagramOptions,
      lang,
      maxElements,
      maxTextBytes,
      budget('maxPages', 'most pages in the PDF (with --steps: one per segment)'),
      watch,
      root,
      quiet,
      color,
      help,
    ],
    examples: ['wiregram deck lecture.md -o lecture.pdf --steps', 'wiregram deck tcp/*.tcpseq -o handouts.pdf --size a4'],
  },
  check: {
    name: 'check',
    summary: 'validate diagrams without writing anything',
    usage: 'wiregram check <inputs…> [options]',
    description: [
      'Compiles every block of every input and lists every error (exit 1) and warning (exit 0).',
      'Formats: text (code frames), compact (file:line:col: error: message [code] — what editors and',
      'CI problem matchers read), json, github (workflow annotations on the pull request).',
      'A diagram past --max-elements or --max-text-bytes is an error here as in render.',
    ].join('\n'),
    minPositionals: 1,
    options: [
      { name: 'format', short: 'f', type: 'string', values: ['text', 'compact', 'json', 'github'], valueName: 'FMT', description: 'text, compact, json or github', defaultText: 'text' },
      ...diagramOptions,
      lang,
      maxElements,
      maxTextBytes,
      { ...watch, description: 'check again whenever an input changes (Ctrl-C to stop)' },
      root,
      quiet,
      color,
      help,
    ],
    examples: ["wiregram check 'docs/**/*.md'", "wiregram check 'docs/**/*.md' --format github   # in a GitHub Actions step"],
  },
  pandoc: {
    name: 'pandoc',
    summary: 'a Pandoc/Quarto JSON filter: diagram code blocks become SVG, PDF or PNG images',
    usage: 'wiregram pandoc [FORMAT] [options] < ast.json > ast.json',
    description: [
      'Run by Pandoc as a JSON filter: pandoc --filter wiregram-pandoc lecture.md -o lecture.pptx',
      '(wiregram-pandoc is this command). FORMAT is the output format pandoc passes: HTML, reveal.js and',
      'EPUB get the SVG inline; LaTeX, Beamer and ConTeXt a PDF image; pptx, docx, odt and the rest a PNG.',
      'Images go to --dir (or the metadata\'s wiregram.dir), named by a hash of their source. A block',
      'that does not compile stays a code block and is reported as [WARNING] file:line:col: … ; the',
      'document still builds. Settings may sit in the document\'s metadata:',
      '  wiregram: { dir: figures, theme: light, scale: 3, max-pixels: 16000000, style: lifeline, label-style: flags }',
    ].join('\n'),
    minPositionals: 0,
    maxPositionals: 1,
    options: [
      { name: 'dir', type: 'string', valueName: 'DIR', description: 'where PDF and PNG images are written', defaultText: 'wiregram-figures' },
      { name: 'theme', short: 't', type: 'string', values: THEMES, valueName: 'THEME', description: 'light, dark, or auto (inline SVG follows prefers-color-scheme)', defaultText: 'auto for SVG, light for PDF and PNG' },
      { name: 'scale', type: 'string', valueName: 'N', description: 'PNG pixels per SVG pixel', defaultText: '2' },
      { name: 'max-pixels', type: 'string', valueName: 'N', description: 'most pixels (width × height) in one PNG; a bigger one stays a code block, with a warning', defaultText: '64000000', positiveInteger: 128_000_000 },
      color,
      help,
    ],
    examples: [
      'pandoc --filter wiregram-pandoc lecture.md -o lecture.html --standalone',
      'pandoc --filter wiregram-pandoc lecture.md -t beamer -o lecture.pdf',
      'pandoc --filter wiregram-pandoc lecture.md -o lecture.pptx',
      'pandoc lecture.md -t json | wiregram pandoc html > lecture.json',
    ],
  },
  import: {
    name: 'import',
    summary: 'turn a TCP stream of a pcap/pcapng capture into tcp-sequence text',
    usage: 'wiregram import <capture> [options]',
    description: [
      'Prints one TCP conversation (Wireshark\'s tcp.stream index, 0 by default, or chosen by its',
      'endpoints) as editable tcp-sequence text, or with --json one object per segment with relative',
      'numbers. --list prints every stream with its index, endpoints, frames, bytes, start and duration.',
    ].join('\n'),
    minPositionals: 1,
    maxPositionals: 1,
    options: [
      { name: 'stream', short: 'n', type: 'string', valueName: 'N|A,B', description: 'which TCP stream: its number as tshark counts them, or its endpoints, e.g. 127.0.0.1:50762,127.0.0.1:18080 ([::1]:80 for IPv6)', defaultText: '0' },
      { name: 'list', type: 'boolean', description: 'list the TCP streams (like tshark -z conv,tcp) instead of importing one; with --json as JSON' },
      { name: 'json', type: 'boolean', description: 'print JSON (one object per segment) instead of tcp-sequence text' },
      { name: 'numbering', type: 'string', values: NUMBERING, valueName: 'MODE', description: 'relative (as Wireshark shows them) or absolute sequence numbers', defaultText: 'relative' },
      { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE instead of stdout' },
      quiet,
      color,
      help,
    ],
    examples: [
      'tcpdump -i lo -w hs.pcap port 8080   # then, in another terminal, connect',
      'wiregram import hs.pcap --list',
      'wiregram import hs.pcap --stream 0 > hs.tcpseq',
      'wiregram import hs.pcap --stream 127.0.0.1:50762,127.0.0.1:8080',
      'wiregram import hs.pcap --json | jq .',
    ],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

function optionLine(o: OptionSpec): [string, string] {
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
  const desc = o.description + (o.defaultText ? ` (default: ${o.defaultText})` : '');
  return [flag, desc];
}

/** Greedy word wrap, so option descriptions stay readable in an 100-column terminal. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function commandHelp(spec: CommandSpec): string {
  const rows = spec.options.filter((o) => !o.hidden).map(optionLine);
  const width = rows.reduce((w, [f]) => Math.max(w, f.length), 0) + 2;
  return [
    `Usage: ${spec.usage}`,
    '',
    spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1) + '.',
    '',
    spec.description,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${wrap(d, 100 - width - 2).join(`\n${' '.repeat(width + 2)}`)}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

export function mainHelp(version: string): string {
  const width = COMMAND_NAMES.reduce((w, n) => Math.max(w, n.length), 0) + 2;
  return [
    `wiregram ${version} — TCP sequence diagrams and packet-header layouts from text`,
    '',
    'Usage: wiregram <command> [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((n) => `  ${n.padEnd(width)}${COMMANDS[n]!.summary}`),
    `  ${'help'.padEnd(width)}show help for a command (wiregram help render)`,
    '',
    'Options:',
    '  -h, --help     show help (wiregram <command> --help for a command)',
    '  -V, --version  print the version',
    '',
    'Exit codes: 0 ok · 1 diagram errors · 2 usage errors · 3 a file could not be read or written',
    '            130/143 stopped by SIGINT/SIGTERM',
    '',
  ].join('\n');
}
