/**
 * Map a position inside a fenced block (line 1 = the first line after the opening fence) onto the Markdown
 * file. The line shift is core's `offsetPosition`; the column shift is per line, because a fence inside a list
 * item or a blockquote has every content line indented (`> ` or spaces) and Markdown strips that indent from
 * the block's value.
 */
import { offsetPosition, type Point, type Position } from '@wiregram/core';

export class SourceLines {
  private readonly starts: number[] = [0];
  readonly lines: string[];
  constructor(readonly text: string) {
    this.lines = text.split(/\r\n|\r|\n/);
    const re = /\r\n|\r|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) this.starts.push(m.index + m[0].length);
  }
  /** 0-based offset of the start of a 1-based line, or null past the end. */
  lineStart(line: number): number | null {
    return this.starts[line - 1] ?? null;
  }
}

/**
 * @param blockStartLine the file line of the block's first content line (fence line + 1)
 * @param blockLines the block's content lines as the Markdown parser gave them (indent stripped)
 * @param fenceColumn 1-based column of the opening fence, the fallback indent
 */
export function mapBlockPosition(
  position: Position,
  blockStartLine: number,
  blockLines: string[],
  file: SourceLines | null,
  fenceColumn: number,
): Position {
  const shifted = offsetPosition(position, blockStartLine, 1, 0);
  const mapPoint = (inner: Point, outer: Point): Point => {
    const content = blockLines[inner.line - 1] ?? '';
    const fileLine = file?.lines[outer.line - 1];
    // The content line is the file line minus its container prefix: the prefix length is the column shift.
    let indent = fenceColumn - 1;
    if (fileLine !== undefined && fileLine.endsWith(content)) indent = fileLine.length - content.length;
    const column = inner.column + indent;
    const start = file?.lineStart(outer.line);
    const offset = start != null ? start + column - 1 : inner.offset;
    return { line: outer.line, column, offset };
  };
  return { start: mapPoint(position.start, shifted.start), end: mapPoint(position.end, shifted.end) };
}
