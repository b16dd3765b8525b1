import type { TreeBuilder } from '../src/describe.js';
import type { SvgNode } from '../src/xml.js';

/** A tree builder that makes the element description again: serialised, it must give the SVG text exactly. */
export const NODES: TreeBuilder<SvgNode, string> = {
  element: (name, attrs, children) => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < attrs.length; i += 2) pairs.push([attrs[i]!, attrs[i + 1]!]);
    return { name, attrs: pairs, children };
  },
  text: (value) => value,
};
