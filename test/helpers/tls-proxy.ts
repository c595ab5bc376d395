/**
 * A real TLS front for the Temporal dev server (which has no TLS options of its own): test
 * certificates made with the `openssl` CLI, and a `node:tls` server that terminates TLS (optionally
 * requiring a client certificate, i.e. mTLS) and forwards the bytes to the plain dev server, the way
 * a TLS-terminating load balancer sits in front of a self-hosted cluster.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

/** The server name in the proxy's certificate (not resolvable: clients must override it). */
export const TEST_SERVER_NAME = 'temporal.gameday.test';

/** Paths of the PEM files made by {@link makeTestCertificates}. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA that signed the server and the client certificates. */
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here (a client trusting only it must refuse the server). */
  readonly otherCaCert: string;
}

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=gameday test ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makeLeaf(dir: string, name: string, subject: string, ext: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${subject}`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Makes a CA, a server certificate for {@link TEST_SERVER_NAME} and 127.0.0.1, and a client certificate. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(
    dir,
    'server',
    TEST_SERVER_NAME,
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${TEST_SERVER_NAME},IP:127.0.0.1\n`,
  );
  makeLeaf(
    dir,
    'client',
    'gameday-worker',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:gameday-worker\n',
  );
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherCaCert: join(dir, 'other-ca.pem'),
  };
}

/** Options of {@link startTlsProxy}. */
export interface TlsProxyOptions {
  /** host:port of the plain dev server. */
  readonly target: string;
  readonly certs: TestCertificates;
  /** Require a client certificate signed by the test CA (mTLS). @default false */
  readonly requireClientCert?: boolean;
}

/** A running TLS proxy and what it has seen. */
export interface TlsProxy {
  /** 127.0.0.1:<port> to dial with TLS. */
  readonly address: string;
  /** Connections that completed the handshake (with the client certificate's CN under mTLS). */
  readonly accepted: { readonly clientCn?: string }[];
  /** Handshakes the proxy refused, with the reason. */
  readonly refused: string[];
  close(): Promise<void>;
}

/** Starts the TLS-terminating proxy on an ephemeral port of 127.0.0.1. */
export async function startTlsProxy(opts: TlsProxyOptions): Promise<TlsProxy> {
  const mtls = opts.requireClientCert === true;
  const i = opts.target.lastIndexOf(':');
  const target = { host: opts.target.slice(0, i), port: Number(opts.target.slice(i + 1)) };
  const accepted: { clientCn?: string }[] = [];
  const refused: string[] = [];
  const sockets = new Set<TLSSocket>();
  const server = createServer(
    {
      key: readFileSync(opts.certs.serverKey),
      cert: readFileSync(opts.certs.serverCert),
      ca: readFileSync(opts.certs.caCert),
      requestCert: mtls,
      rejectUnauthorized: mtls,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      sockets.add(socket);
      const cn = mtls ? socket.getPeerCertificate().subject?.CN : undefined;
      accepted.push(cn === undefined ? {} : { clientCn: String(cn) });
      const upstream = netConnect(target);
      socket.pipe(upstream).pipe(socket);
      const end = (): void => {
        socket.destroy();
        upstream.destroy();
        sockets.delete(socket);
      };
      socket.once('error', end).once('close', end);
      upstream.once('error', end).once('close', end);
    },
  );
  server.on('tlsClientError', (err) => refused.push(err.message));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    accepted,
    refused,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
