// The Eleventy site of test/hosts/eleventy: the recipe of docs/recipes/eleventy.md.
import wiregram from '@wiregram/eleventy';

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(wiregram);
  return { dir: { input: 'src', output: '_site' } };
}
