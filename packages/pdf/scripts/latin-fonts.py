"""Renames a Latin cut made by latin-fonts.sh and records the original names (see latin-fonts.sh).

The built-in font's licence reserves its name for the original, so a cut distributed with wiregram carries a
name of its own: every name-table record and every CFF name string that spells the original family is rewritten.
fonts/names.json keeps the original strings, which src/fonts.ts puts back on the loaded font: a PDF embeds the
subset of the original glyphs under the original's name, exactly as when it embeds from the full font.
Usage: python3 latin-fonts.py CUT.otf FULL.otf NAMES.json
"""
import json
import sys
from fontTools.ttLib import TTFont

cut_path, full_path, names_path = sys.argv[1:4]
cut = TTFont(cut_path, recalcBBoxes=False, recalcTimestamp=False)
full = TTFont(full_path, lazy=True)
swap = [('Noto Sans Simplified Chinese', 'Wiregram Latin Cut'), ('Noto Sans S Chinese', 'Wiregram Latin Cut'), ('NotoSansHans', 'WiregramLatinCut')]


def renamed(text):
    for old, new in swap:
        text = text.replace(old, new)
    return text


for record in cut['name'].names:
    if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
        record.string = renamed(record.toUnicode())
# ID 5 says what this file is: a modified version, made by wiregram's script.
for record in cut['name'].names:
    if record.nameID == 5:
        record.string = record.toUnicode() + '; non-CJK subset made for wiregram (packages/pdf/scripts/latin-fonts.sh)'
cff = cut['CFF '].cff
top = cff.topDictIndex[0]
original = {
    'postscriptName': full['name'].getDebugName(6),
    'familyName': full['name'].getDebugName(1),
    'fullName': full['name'].getDebugName(4),
    'cffFontName': cff.fontNames[0],
    'cffStrings': {key: getattr(top, key) for key in ('FullName', 'FamilyName') if getattr(top, key, None)},
}
cff.fontNames[0] = renamed(cff.fontNames[0])
for key in original['cffStrings']:
    setattr(top, key, renamed(getattr(top, key)))
cut.save(cut_path)

try:
    with open(names_path) as f:
        names = json.load(f)
except FileNotFoundError:
    names = {}
names[cut_path.rsplit('/', 1)[-1]] = original
with open(names_path, 'w') as f:
    json.dump(names, f, indent=2, ensure_ascii=False, sort_keys=True)
    f.write('\n')
