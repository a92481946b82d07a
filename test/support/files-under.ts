import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under a folder, as raw bytes: to search for secrets that must not be there. */
export function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push({ file: full, bytes: readFileSync(full) });
  }
  return out;
}

/** The files (and needles) where any needle occurs, as text or UTF-16. */
export function findInFiles(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const { file, bytes } of filesUnder(dir)) {
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')))
        hits.push(`${path.relative(dir, file)}: ${needle}`);
    }
  }
  return hits;
}
