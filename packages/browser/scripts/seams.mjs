// What the browser bundles take in place of parts of the Node packages (each stand-in's header says why):
// - `yaml` → dist/yaml-subset.js: the front-matter subset of YAML, ≈ 3 KB instead of ≈ 98 KB;
// - the core's capture decoder → dist/capture-seam.js, which uses the decoder that dist/wiregram-capture.min.js
//   (entry dist/capture-addon.js) registers. Only the core's own imports of it from outside capture/ are
//   redirected; the decoder's modules still import each other (in the add-on). The same for layout's stream
//   graphs (graph/index.js).
import { join, sep } from 'node:path';

/** esbuild plugins for the main bundles; `dist` is packages/browser/dist (the modules tsc built). */
export function seams(dist) {
  const captureDir = `${sep}core${sep}dist${sep}capture${sep}`;
  return [
    {
      name: 'wiregram-browser-seams',
      setup(build) {
        build.onResolve({ filter: /^yaml$/ }, () => ({ path: join(dist, 'yaml-subset.js') }));
        build.onResolve({ filter: /(^|\/)capture\/(index|reader|timeline)\.js$/ }, (args) => {
          if (!args.importer.includes(`${sep}core${sep}dist${sep}`) || args.importer.includes(captureDir)) return undefined;
          return { path: join(dist, 'capture-seam.js') };
        });
        // Layout's stream graphs (graph/), from the rest of layout, come with the add-on as well.
        build.onResolve({ filter: /(^|\/)graph\/index\.js$/ }, (args) => {
          if (!args.importer.includes(`${sep}layout${sep}dist${sep}`) || args.importer.includes(`${sep}layout${sep}dist${sep}graph${sep}`)) return undefined;
          return { path: join(dist, 'capture-seam.js') };
        });
      },
    },
  ];
}
