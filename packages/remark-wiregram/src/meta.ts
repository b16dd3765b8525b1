/**
 * `parseMeta`, kept for existing callers: the fence grammar itself is `parseFenceMeta` of @wiregram/core
 * (shared with markdown-it-wiregram and the CLI), which also returns the problems found.
 */
import { parseFenceMeta, type FenceMeta } from '@wiregram/core';

export type BlockMeta = Omit<FenceMeta, 'problems'>;

/** Caption, valid options, `source` flag and unknown keys of a fence's info string. */
export function parseMeta(meta: string | null | undefined): BlockMeta {
  const { problems: _, ...rest } = parseFenceMeta(meta);
  return rest;
}
