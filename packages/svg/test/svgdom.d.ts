// svgdom ships no types; the tests only need its window factory.
declare module 'svgdom' {
  export function createSVGWindow(): Window & typeof globalThis;
}
