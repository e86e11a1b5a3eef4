// Lets plain node run the TypeScript benchmarks: `node --require ./bench/register.js bench/<name>.ts`.
// Each .ts file is compiled by swc as it loads, with the project's .swcrc (the same as jest uses).
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename });
  module._compile(code, filename);
};
