const { src, dest, parallel } = require('gulp');

/** tsc compiles the TypeScript; these copy what it does not: the icons and the nodes' codex files. */
const nodeAssets = () => src('nodes/**/*.{png,svg,json}').pipe(dest('dist/nodes'));
const icons = () => src('icons/*.{png,svg}').pipe(dest('dist/icons'));

exports['build:icons'] = parallel(nodeAssets, icons);
