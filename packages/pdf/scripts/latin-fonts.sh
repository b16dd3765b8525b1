#!/bin/sh
# Regenerates fonts/WiregramLatinCut-{Regular,Bold}.otf: the non-CJK part of the built-in font (the code points
# below U+2E80 that Noto Sans Hans draws: Latin, Greek, Cyrillic, punctuation, arrows, maths, symbols), cut out of
# @embedpdf/fonts-sc's OTFs with fontTools' pyftsubset (Debian: python3-fonttools). Outlines, advance widths,
# vertical metrics and names are the full font's; only glyphs, GSUB/GPOS (wiregram does not shape) and the
# vertical tables are left out, and the names (latin-fonts.py: the original's name is reserved for it). A PDF whose text is all in these files embeds from them and never parses the
# 8 MB CJK font (see src/fonts.ts). test/latin-fonts.test.ts checks every glyph against the full font.
# Usage (from the repo root): sh packages/pdf/scripts/latin-fonts.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
src=$(node -e "const r=require('node:module').createRequire('$here/package.json');const p=require('node:path');console.log(p.join(p.dirname(p.dirname(r.resolve('@embedpdf/fonts-sc'))),'fonts'))")
for weight in Regular Bold; do
  python3 -m fontTools.subset "$src/NotoSansHans-$weight.otf" \
    --unicodes='U+0020-2E7F' \
    --layout-features='' --drop-tables+=GSUB,GPOS,GDEF,BASE,VORG,vhea,vmtx,DSIG \
    --name-IDs='*' --name-languages='*' --notdef-outline --desubroutinize \
    --output-file="$here/fonts/WiregramLatinCut-$weight.otf"
  python3 "$here/scripts/latin-fonts.py" "$here/fonts/WiregramLatinCut-$weight.otf" "$src/NotoSansHans-$weight.otf" "$here/fonts/names.json"
done
ls -l "$here/fonts"
