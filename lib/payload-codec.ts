/**
 * Encryption of every Temporal payload gameday writes (workflow and activity inputs and results,
 * signals, queries, updates, memos, failure details), with AES-256-GCM from `node:crypto`, as
 * Temporal recommends for sensitive data. The shape follows Temporal's encryption sample, so other
 * SDKs' codecs and codec servers can read it: the whole payload (metadata and data) is serialised
 * and encrypted, the result's metadata is `encoding: binary/encrypted` plus
 * `encryption-key-id: <id>`, and its data is `nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`.
 *
 * The key comes from the environment of the worker, the CLI and the codec server, never from input:
 * - `GAMEDAY_PAYLOAD_KEY`: 32 bytes, base64 (`openssl rand -base64 32`); unset = no encryption;
 * - `GAMEDAY_PAYLOAD_KEY_ID`: the id written with each payload (default `gameday-1`);
 * - `GAMEDAY_PAYLOAD_OLD_KEYS`: `id=base64key,…` keys still accepted for decoding (rotation).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ConfigError } from './config';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM codec with one key for encoding and any known key for decoding. */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly keyId: string,
  ) {
    for (const [id, key] of keys) if (key.length !== 32) throw new ConfigError(`payload key ${id}: expected 32 bytes, got ${key.length}`);
    if (!keys.has(keyId)) throw new ConfigError(`payload key id ${keyId} has no key`);
  }

  /** The id new payloads are encrypted under. */
  get currentKeyId(): string {
    return this.keyId;
  }

  /** Encrypts each payload whole (metadata included). */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.keyId)!;
    return payloads.map((payload) => {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.keyId) },
        data,
      };
    });
  }

  /** Decrypts payloads this codec (or one with a known key) encrypted; others pass through unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!idBytes) throw new Error('encrypted payload without an encryption-key-id');
      const id = Buffer.from(idBytes).toString();
      const key = this.keys.get(id);
      if (!key)
        throw new Error(
          `payload encrypted with key "${id}", which this process does not have (GAMEDAY_PAYLOAD_KEY_ID / GAMEDAY_PAYLOAD_OLD_KEYS)`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < NONCE_BYTES + TAG_BYTES) throw new Error('encrypted payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

function parseKey(variable: string, text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()))
    throw new ConfigError(`${variable}: expected 32 random bytes in base64 (44 characters; make one with: openssl rand -base64 32)`);
  return key;
}

/** The codec the environment asks for, or undefined when `GAMEDAY_PAYLOAD_KEY` is unset. Throws `ConfigError` naming the variable. */
export function loadPayloadCodec(env: NodeJS.ProcessEnv = process.env): AesGcmPayloadCodec | undefined {
  const text = env.GAMEDAY_PAYLOAD_KEY;
  if (!text) return undefined;
  const keyId = env.GAMEDAY_PAYLOAD_KEY_ID || 'gameday-1';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(keyId))
    throw new ConfigError('GAMEDAY_PAYLOAD_KEY_ID: expected 1-64 letters, digits, ".", "_" or "-"');
  const keys = new Map<string, Buffer>([[keyId, parseKey('GAMEDAY_PAYLOAD_KEY', text)]]);
  for (const entry of (env.GAMEDAY_PAYLOAD_OLD_KEYS ?? '').split(',').filter((e) => e.trim())) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new ConfigError('GAMEDAY_PAYLOAD_OLD_KEYS: expected id=base64key entries separated by commas');
    keys.set(entry.slice(0, eq).trim(), parseKey(`GAMEDAY_PAYLOAD_OLD_KEYS (${entry.slice(0, eq).trim()})`, entry.slice(eq + 1)));
  }
  return new AesGcmPayloadCodec(keys, keyId);
}

/** The data converter of every gameday client and worker: the codec when a key is set, else Temporal's default. */
export function loadDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = loadPayloadCodec(env);
  return codec ? { payloadCodecs: [codec] } : undefined;
}
