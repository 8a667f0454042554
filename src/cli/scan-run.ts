import type { ScanOptions } from './scan.js';
import { notYet } from './not-yet.js';

export async function runScan(_domains: string[], _opts: ScanOptions): Promise<void> {
  notYet('scan');
}
