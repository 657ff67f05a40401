import { writeFileSync } from 'node:fs';

/** The path that means "standard output" wherever a command names an output file. */
export const STDOUT_PATH = '-';

/**
 * Writes a command's output to a file, or to stdout when the path is `-` (the Unix convention).
 *
 * @example writeOutput(flags.json, JSON.stringify(result, null, 2) + '\n'); // `--json -` prints it
 */
export function writeOutput(path: string, text: string): void {
  if (path === STDOUT_PATH) process.stdout.write(text);
  else writeFileSync(path, text);
}
