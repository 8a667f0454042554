// The package root, found the same way from src/ (tests) and dist/ (the built CLI):
// both sit one level below it.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function fromRoot(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
