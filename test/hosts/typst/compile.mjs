// Compiles a Typst file to PDF with typst.ts's Node compiler (Typst's own Rust code, from npm): the way the Typst
// recipe's test runs Typst, since Typst has no Debian package. Usage: node compile.mjs main.typ out.pdf FONTDIR…
import { readFileSync, writeFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const [main, out, ...fontPaths] = process.argv.slice(2);
const compiler = NodeCompiler.create({ workspace: process.cwd(), fontArgs: [{ fontPaths }] });
try {
  writeFileSync(out, compiler.pdf({ mainFileContent: readFileSync(main, 'utf8') }));
} catch (e) {
  console.error(`typst: ${e instanceof Error ? e.message : JSON.stringify(e)}`);
  process.exit(1);
}
