// Builds the Hexo site in the folder given as the first argument with this folder's Hexo (test/static-sites.test.ts).
const Hexo = require('hexo');

(async () => {
  const hexo = new Hexo(process.argv[2], { silent: true });
  await hexo.init();
  await hexo.load();
  await hexo.call('generate', {});
  await hexo.exit();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
