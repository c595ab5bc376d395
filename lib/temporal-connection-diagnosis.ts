/**
 * Why a Temporal connection failed, in words a person can act on. The gRPC clients say little
 * (`Failed to connect before the deadline`), so after a failure this probes the address itself:
 * a TCP connect, then a TLS handshake with the same CA, server name and client certificate, and
 * names the setting to fix.
 */
import { isIP, connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConnection, TemporalConnectionErrorCode } from './temporal-connection';

/** What went wrong (`reason`) and what to change (`fix`), with the error code to throw. */
export interface TemporalConnectionDiagnosis {
  readonly code: TemporalConnectionErrorCode;
  readonly reason: string;
  readonly fix: string;
}

const PROBE_MS = 3000;
/** Under TLS 1.3 a server refuses a client certificate after the client saw the handshake finish. */
const LATE_ALERT_MS = 400;

/** Probes `c`'s address to explain `err` (the error of the failed connect). */
export async function diagnoseTemporalConnection(c: TemporalConnection, err: unknown): Promise<TemporalConnectionDiagnosis> {
  const original = err instanceof Error ? err.message : String(err);
  if (isAuthError(err)) {
    return {
      code: 'unauthenticated',
      reason: `the server rejected the credentials (${firstLine(original)})`,
      fix: c.options.apiKey
        ? `check the API key in ${c.origin.apiKey}`
        : `check the client certificate in ${c.origin.clientCert} or set TEMPORAL_API_KEY`,
    };
  }
  const { host, port } = splitAddress(c.options.address);
  const tcp = await probeTcp(host, port);
  if (tcp)
    return {
      code: 'unreachable',
      reason: tcp,
      fix: `check ${c.origin.address}, or start a local dev server with \`npm run temporal -- start\``,
    };

  const tls = typeof c.options.tls === 'object' ? c.options.tls : c.options.tls === true ? {} : undefined;
  if (tls === undefined) {
    const speaksTls = (await probeTls(host, port, {}, false)) !== 'not-tls';
    return speaksTls
      ? {
          code: 'tls-refused',
          reason: 'the server expects TLS and this connection has TLS off',
          fix: 'enable TLS: set TEMPORAL_TLS=true, or TEMPORAL_TLS_SERVER_CA_CERT_PATH for a private CA (or a [profile.<name>.tls] table in the config file)',
        }
      : { code: 'unreachable', reason: `the server did not answer as Temporal (${firstLine(original)})`, fix: `check ${c.origin.address}` };
  }
  const outcome = await probeTls(host, port, tls, true);
  const hasClientCert = tls.clientCertPair !== undefined;
  switch (outcome) {
    case 'not-tls':
      return {
        code: 'tls-refused',
        reason: 'the server does not speak TLS',
        fix: `turn TLS off (unset ${c.origin.tls === 'default' ? 'the TLS settings' : c.origin.tls}) or check ${c.origin.address}`,
      };
    case 'untrusted':
      return {
        code: 'tls-refused',
        reason: "the server's certificate is not signed by a CA this client trusts",
        fix: `set ${c.origin.serverCa === 'default' ? 'TEMPORAL_TLS_SERVER_CA_CERT_PATH' : c.origin.serverCa} to the PEM file of the CA that signed it`,
      };
    case 'name-mismatch':
      return {
        code: 'tls-refused',
        reason: `the server's certificate is not valid for the name "${tls.serverNameOverride ?? host}"`,
        fix: `set ${c.origin.serverName === 'default' ? 'TEMPORAL_TLS_SERVER_NAME' : c.origin.serverName} to a name in the server certificate`,
      };
    case 'expired':
      return {
        code: 'tls-refused',
        reason: "the server's certificate has expired or is not yet valid",
        fix: 'renew the server certificate',
      };
    case 'refused-by-server':
      return hasClientCert
        ? {
            code: 'tls-refused',
            reason: 'the server refused the client certificate',
            fix: `set ${c.origin.clientCert} to a certificate signed by a CA the server trusts (and ${c.origin.clientKey} to its key)`,
          }
        : {
            code: 'tls-refused',
            reason: 'the server requires a client certificate (mTLS) and none is configured',
            fix: 'set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or tls.client_cert_path and tls.client_key_path in the profile)',
          };
    case 'ok':
      return {
        code: 'unreachable',
        reason: `the TLS handshake succeeded but the Temporal API did not answer (${firstLine(original)})`,
        fix: `check ${c.origin.address} and the namespace (${c.origin.namespace})`,
      };
  }
}

function isAuthError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 16 || code === 7) return true; // UNAUTHENTICATED, PERMISSION_DENIED
  const msg = err instanceof Error ? err.message : String(err);
  return /Unauthenticated|PermissionDenied|UNAUTHENTICATED|PERMISSION_DENIED/.test(msg);
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? '';
  return l.length > 200 ? `${l.slice(0, 200)}…` : l;
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

/** undefined when a TCP connection opens, else why not. */
function probeTcp(host: string, port: number): Promise<string | undefined> {
  return new Promise((done) => {
    const s = netConnect({ host, port });
    const finish = (r: string | undefined): void => {
      s.destroy();
      done(r);
    };
    s.setTimeout(PROBE_MS, () => finish(`no answer within ${PROBE_MS / 1000} s`));
    s.once('connect', () => finish(undefined));
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish('nothing listens there (connection refused)');
      else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') finish(`host ${host} not found`);
      else finish(`${e.code ?? 'error'}: ${e.message}`);
    });
  });
}

type TlsOutcome = 'ok' | 'not-tls' | 'untrusted' | 'name-mismatch' | 'expired' | 'refused-by-server';

/** A TLS handshake with `tls`'s CA, server name and client certificate (`verify` false: any server certificate). */
function probeTls(host: string, port: number, tls: TLSConfig, verify: boolean): Promise<TlsOutcome> {
  const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  const opts: ConnectionOptions = {
    host,
    port,
    ...(servername ? { servername } : {}),
    ALPNProtocols: ['h2'],
    rejectUnauthorized: verify,
    ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
    ...(tls.clientCertPair ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : {}),
    // An IP address is checked against the certificate's IP SANs; a server name override replaces it.
    ...(tls.serverNameOverride ? { checkServerIdentity: checkName(tls.serverNameOverride) } : {}),
  };
  return new Promise((done) => {
    let settled = false;
    const s = tlsConnect(opts);
    const finish = (r: TlsOutcome): void => {
      if (settled) return;
      settled = true;
      s.destroy();
      done(r);
    };
    s.setTimeout(PROBE_MS, () => finish('not-tls'));
    s.once('secureConnect', () => setTimeout(() => finish('ok'), LATE_ALERT_MS));
    s.once('error', (e: NodeJS.ErrnoException) => finish(classify(e)));
    s.once('close', () => finish('not-tls'));
  });
}

function checkName(name: string): ConnectionOptions['checkServerIdentity'] {
  return (_host, cert) => checkServerIdentity(name, cert);
}

function classify(e: NodeJS.ErrnoException): TlsOutcome {
  const code = e.code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'name-mismatch';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'expired';
  if (
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'CERT_UNTRUSTED',
      'CERT_SIGNATURE_FAILURE',
    ].includes(code)
  )
    return 'untrusted';
  if (/alert/i.test(e.message)) return 'refused-by-server';
  return 'not-tls';
}
