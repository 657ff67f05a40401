import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EngineError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { logFailure, pgError } from './errors.js';

/** PostgreSQL truncates identifiers (channel names included) beyond 63 bytes. */
const MAX_IDENTIFIER_BYTES = 63;
const FIRST_RECONNECT_MS = 100;
const LONGEST_RECONNECT_MS = 5_000;

const shortHash = (s: string, chars: number): string => createHash('sha256').update(s).digest('hex').slice(0, chars);

/**
 * The PostgreSQL channel of a Kindred channel in one schema: `kindred_<hash of schema>_<channel>`, so two stores in
 * different schemas of one database never hear each other. A channel too long for 63 bytes is hashed as well.
 *
 * @example scopedChannel('public', 'artifacts') // 'kindred_<12 hex>_artifacts'
 */
export function scopedChannel(schema: string, channel: string): string {
  const prefix = `kindred_${shortHash(schema, 12)}_`;
  const full = prefix + channel;
  return Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES ? full : prefix + shortHash(channel, 32);
}

type Handler = (payload: string) => void;

/**
 * The LISTEN side of a store's notices: ONE dedicated connection (outside the pool, which would hand it to other
 * calls), opened on the first listen(). When the connection is lost (server restart, terminated backend) it
 * reconnects with a growing pause (0.1 s doubling to 5 s) and LISTENs again on every channel that has handlers.
 * Notices sent while it was away are lost, as the contract allows (engines also poll).
 *
 * @example const stop = await listener.listen('kindred_ab12_artifacts', (p) => console.log(p)); await stop();
 */
export class NoticeListener {
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private closed = false;

  constructor(private readonly config: pg.ClientConfig, private readonly logger: Logger) {}

  async listen(channel: string, onMessage: Handler): Promise<() => Promise<void>> {
    if (this.closed) throw new EngineError('INTERNAL', 'store is closed');
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(onMessage);
    try {
      const client = await this.connection();
      if (first) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      set.delete(onMessage);
      if (set.size === 0) this.handlers.delete(channel);
      logFailure(this.logger, e);
      throw pgError(e);
    }
    return async () => {
      if (!set.delete(onMessage) || set.size > 0 || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined); // gone with the connection anyway
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The open connection, or a new one (one at a time: concurrent listen() calls share it). */
  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('error', (e) => logFailure(this.logger, e)); // 'end' follows and reconnects
    client.on('notification', (n) => {
      if (n.payload === undefined) return;
      for (const h of [...(this.handlers.get(n.channel) ?? [])]) {
        try {
          h(n.payload);
        } catch (e) {
          this.logger.error('notice handler failed', { reason: errorMessage(e) });
        }
      }
    });
    await client.connect().catch(async (e: unknown) => {
      await client.end().catch(() => undefined);
      throw e;
    });
    client.on('end', () => {
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.closed) void this.reconnect();
    });
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new EngineError('INTERNAL', 'store is closed');
    }
    this.client = client;
    return client;
  }

  private async reconnect(): Promise<void> {
    for (let pause = FIRST_RECONNECT_MS; !this.closed && this.handlers.size > 0; pause = Math.min(pause * 2, LONGEST_RECONNECT_MS)) {
      await sleep(pause);
      if (this.closed) return;
      try {
        const client = await this.connection();
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        this.logger.info('store notices listening again', { channels: this.handlers.size });
        return;
      } catch (e) {
        logFailure(this.logger, e);
        // A connection lost again mid-way ends itself ('end' starts another reconnect); one that is up but could not
        // LISTEN is ended so that it does; one never opened is retried here.
        if (this.client) {
          await this.client.end().catch(() => undefined);
          return;
        }
      }
    }
  }
}
