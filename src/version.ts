import { fileURLToPath } from 'node:url';
import { readTextFile } from './io/read.js';

/** The package version, read once from package.json next to dist/ or src/. */
export const VERSION: string = (
  JSON.parse(readTextFile(fileURLToPath(new URL('../package.json', import.meta.url)), 'settings')) as { version: string }
).version;
