// Read once from package.json so the version has one source.
import { readFileSync } from 'node:fs';
import { fromRoot } from './paths.js';

export const VERSION: string = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
