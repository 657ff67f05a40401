import type { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { hashApiKey } from '../../config/api-keys.js';
import { EngineError } from '../../core/errors.js';

/**
 * The key to hash: the argument, else the first line of standard input (which keeps the key out of shell history:
 * `printf %s "$KEY" | kindred hash-key`).
 */
async function keyToHash(arg: string | undefined, stdin: NodeJS.ReadableStream): Promise<string> {
  const key = arg ?? (await text(stdin)).split(/\r?\n/)[0];
  if (key.trim() === '' || key !== key.trim() || key.includes(',')) {
    throw new EngineError('INVALID_INPUT', 'an API key must be non-empty, without surrounding spaces or commas');
  }
  return key;
}

/** Adds `kindred hash-key [key]`: prints `sha256:<hex>` to put in server.apiKeys (with a scope) instead of the key. */
export function hashKeyCommand(program: Command): void {
  program
    .command('hash-key [key]')
    .description('Print sha256:<hex> of an API key (read from standard input without an argument) for server.apiKeys, e.g. admin:sha256:<hex>')
    .action(async (key: string | undefined) => {
      console.log(hashApiKey(await keyToHash(key, process.stdin)));
    });
}
