import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

await mkdir('dist', { recursive: true });
await build({
  entryPoints: ['src/index.js'],
  bundle: true,
  minify: true,
  outfile: 'dist/app.js',
  logLevel: 'info',
});
await copyFile('src/index.html', 'dist/index.html');
console.log('bundled src/index.js into dist/');
