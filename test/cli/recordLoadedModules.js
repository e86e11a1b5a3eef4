// Preloaded into an `etl` process (NODE_OPTIONS=--require): when it exits, writes the files of every module it
// loaded, as JSON, to $ETL_LOADED_MODULES_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.ETL_LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache))));
