import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project folder: found by walking up to package.json, so it works from src/ (tests) and lib/ (built). */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project folder above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();
