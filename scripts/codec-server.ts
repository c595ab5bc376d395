/**
 * `npm run codec-server`: the codec server for Temporal's Web UI (see lib/codec-server.ts and
 * README "Security"). Reads the same GAMEDAY_PAYLOAD_KEY (and GAMEDAY_PAYLOAD_KEY_ID,
 * GAMEDAY_PAYLOAD_OLD_KEYS) as the worker and the CLI.
 *
 *   GAMEDAY_CODEC_PORT        port (default 8888)
 *   GAMEDAY_CODEC_HOST        address to bind (default 127.0.0.1)
 *   GAMEDAY_CODEC_CORS_ORIGINS comma list of Web UI origins (default http://localhost:8233,http://127.0.0.1:8233)
 *   GAMEDAY_CODEC_TOKEN       when set, requests need `Authorization: Bearer <token>`
 */
import type { AddressInfo } from 'node:net';
import { createCodecServer } from '../lib/codec-server';
import { ConfigError } from '../lib/config';
import { loadPayloadCodec } from '../lib/payload-codec';

function main(): void {
  const codec = loadPayloadCodec();
  if (!codec) throw new ConfigError('GAMEDAY_PAYLOAD_KEY is not set: give the codec server the key the worker encrypts with');
  const port = Number(process.env.GAMEDAY_CODEC_PORT ?? 8888);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('GAMEDAY_CODEC_PORT: expected a port number 0-65535');
  const host = process.env.GAMEDAY_CODEC_HOST || '127.0.0.1';
  const corsOrigins = (process.env.GAMEDAY_CODEC_CORS_ORIGINS || 'http://localhost:8233,http://127.0.0.1:8233')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const token = process.env.GAMEDAY_CODEC_TOKEN || undefined;
  const server = createCodecServer(codec, { corsOrigins, ...(token ? { token } : {}) });
  server.listen(port, host, () => {
    process.stdout.write(
      `codec server on http://${host}:${(server.address() as AddressInfo).port} (key id ${codec.currentKeyId}; CORS for ${corsOrigins.join(', ')}${token ? '; bearer token required' : ''})\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  main();
} catch (err) {
  process.stderr.write(`codec-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
