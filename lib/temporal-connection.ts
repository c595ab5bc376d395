/**
 * Temporal connection settings for every gameday process (worker, CLI, tests, benchmarks), loaded
 * the way Temporal's own tools load them (`@temporalio/envconfig`): a profile of a TOML file
 * (`TEMPORAL_CONFIG_FILE`, else `~/.config/temporalio/temporal.toml`), the `TEMPORAL_*` variables
 * over it, and explicit overrides (the CLI's `--address` / `--namespace`) over both.
 *
 * Certificate files are checked here, before any connection, so a wrong path is reported with the
 * variable or profile key that named it; `connectTemporal` turns a failed connection into the
 * same kind of one-line error, with the reason found by `diagnoseTemporalConnection`.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import { diagnoseTemporalConnection } from './temporal-connection-diagnosis';

/** Address used when neither an override, a variable nor the profile gives one. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
/** Namespace used when neither an override, a variable nor the profile gives one. */
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** Explicit settings that win over the profile and the variables (the CLI's global options). */
export interface TemporalConnectionOverrides {
  /** host:port, e.g. from `--address`. */
  readonly address?: string;
  /** e.g. from `--namespace`. */
  readonly namespace?: string;
  /** Profile name. @default TEMPORAL_PROFILE, else `default` */
  readonly profile?: string;
  /** TOML file. @default TEMPORAL_CONFIG_FILE, else the user config dir's temporalio/temporal.toml */
  readonly configFile?: string;
}

/** Options of {@link loadTemporalConnection}. */
export interface LoadTemporalConnectionOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly overrides?: TemporalConnectionOverrides;
  /** Flag names to cite for the overrides in messages. @default --address, --namespace, --profile, --config-file */
  readonly overrideNames?: Partial<Record<keyof TemporalConnectionOverrides, string>>;
}

/** What `Connection.connect` (client) and `NativeConnection.connect` (worker) both accept. */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: TLSConfig | boolean;
  readonly apiKey?: string;
  readonly metadata?: Record<string, string>;
}

/** The settings the connection uses; `origin` words, safe to log or print, say where each came from. */
export interface TemporalConnection {
  readonly namespace: string;
  readonly options: TemporalConnectionOptions;
  /** Profile name and the file it was read from (`undefined` when no file exists). */
  readonly profile: string;
  readonly configFile?: string;
  /** `off`, `tls` (server verified) or `mtls` (client certificate too). */
  readonly tlsMode: 'off' | 'tls' | 'mtls';
  /** Where each setting came from: a flag, a variable, a profile key, or `default`. */
  readonly origin: Readonly<Record<TemporalSetting, string>>;
}

/** The settings whose origin is tracked for messages. */
export type TemporalSetting = 'address' | 'namespace' | 'apiKey' | 'tls' | 'serverCa' | 'serverName' | 'clientCert' | 'clientKey';

/** Why a connection could not be set up; `setting` is the variable, flag or profile key to fix. */
export type TemporalConnectionErrorCode =
  | 'config-file-missing'
  | 'config-invalid'
  | 'profile-missing'
  | 'tls-file-missing'
  | 'tls-incomplete'
  | 'address-invalid'
  | 'unreachable'
  | 'tls-refused'
  | 'unauthenticated';

/** A connection setting is wrong or the server refused it; the message names the setting and the fix. */
export class TemporalConnectionError extends Error {
  override readonly name = 'TemporalConnectionError';
  constructor(
    message: string,
    readonly code: TemporalConnectionErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Variable names of the TLS and key settings, as envconfig reads them. */
const ENV: Readonly<Record<Exclude<TemporalSetting, 'tls'>, readonly string[]>> = {
  address: ['TEMPORAL_ADDRESS'],
  namespace: ['TEMPORAL_NAMESPACE'],
  apiKey: ['TEMPORAL_API_KEY'],
  serverCa: ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'],
  serverName: ['TEMPORAL_TLS_SERVER_NAME'],
  clientCert: ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'],
  clientKey: ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'],
};

/** Profile keys of the same settings, as they appear in the TOML file. */
const TOML_KEY: Readonly<Record<TemporalSetting, string>> = {
  address: 'address',
  namespace: 'namespace',
  apiKey: 'api_key',
  tls: 'tls',
  serverCa: 'tls.server_ca_cert_path',
  serverName: 'tls.server_name',
  clientCert: 'tls.client_cert_path',
  clientKey: 'tls.client_key_path',
};

/** The default config file of envconfig (and the `temporal` CLI) for this platform and environment. */
export function defaultTemporalConfigFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'temporalio', 'temporal.toml') : undefined;
  if (process.platform === 'darwin') return join(env.HOME || homedir(), 'Library', 'Application Support', 'temporalio', 'temporal.toml');
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg) return isAbsolute(xdg) ? join(xdg, 'temporalio', 'temporal.toml') : undefined;
  return env.HOME ? join(env.HOME, '.config', 'temporalio', 'temporal.toml') : undefined;
}

/**
 * Resolves the connection settings (no network). Throws {@link TemporalConnectionError} naming the
 * variable, flag or profile key when the named config file, profile, or a certificate file is missing.
 */
export function loadTemporalConnection(opts: LoadTemporalConnectionOptions = {}): TemporalConnection {
  const env = opts.env ?? process.env;
  const ov = opts.overrides ?? {};
  const flag = { address: '--address', namespace: '--namespace', profile: '--profile', configFile: '--config-file', ...opts.overrideNames };

  const explicitFile = ov.configFile ?? env.TEMPORAL_CONFIG_FILE;
  const fileNamer = ov.configFile !== undefined ? flag.configFile : 'TEMPORAL_CONFIG_FILE';
  if (explicitFile !== undefined && !existsSync(explicitFile)) {
    throw new TemporalConnectionError(
      `${fileNamer}: Temporal config file ${explicitFile} not found; fix the path or unset ${fileNamer} to use the TEMPORAL_* variables only`,
      'config-file-missing',
    );
  }
  const candidate = explicitFile ?? defaultTemporalConfigFile(env);
  const configFile = candidate !== undefined && existsSync(candidate) ? candidate : undefined;
  const profileName = ov.profile ?? env.TEMPORAL_PROFILE;
  const profileNamer = ov.profile !== undefined ? flag.profile : 'TEMPORAL_PROFILE';
  if (profileName !== undefined && configFile === undefined) {
    throw new TemporalConnectionError(
      `${profileNamer}: profile "${profileName}" asked for but there is no Temporal config file; set TEMPORAL_CONFIG_FILE (or ${flag.configFile}) to the TOML file that defines it`,
      'profile-missing',
    );
  }

  const envVars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  let profile: ClientConfigProfile;
  let fileProfile: ClientConfigProfile = {};
  try {
    const source: ConfigDataSource | undefined = configFile !== undefined ? { path: configFile } : undefined;
    const common = { profile: profileName, overrideEnvVars: envVars, configFileStrict: true };
    profile = loadClientConfigProfile(source ? { ...common, configSource: source } : { ...common, disableFile: true });
    if (source) fileProfile = loadClientConfigProfile({ ...common, configSource: source, disableEnv: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/Profile '.*' not found/.test(msg)) {
      throw new TemporalConnectionError(
        `${profileNamer}: no profile "${profileName}" in ${configFile}; add a [profile.${profileName}] table there or name an existing profile`,
        'profile-missing',
      );
    }
    throw new TemporalConnectionError(`${configFile}: not a valid Temporal config file (${msg}); fix the file`, 'config-invalid', {
      cause: err,
    });
  }

  const where = (s: TemporalSetting, overridden = false): string => {
    if (overridden) return s === 'address' ? flag.address : flag.namespace;
    const vars = s === 'tls' ? ['TEMPORAL_TLS'] : ENV[s];
    const v = vars.find((name) => env[name] !== undefined);
    if (v) return v;
    const key = TOML_KEY[s];
    const inFile = s === 'tls' ? fileProfile.tls !== undefined : lookup(fileProfile, s) !== undefined;
    return inFile && configFile ? `${key} of profile "${profileName ?? 'default'}" in ${configFile}` : 'default';
  };
  const origin: Record<TemporalSetting, string> = {
    address: where('address', ov.address !== undefined),
    namespace: where('namespace', ov.namespace !== undefined),
    apiKey: where('apiKey'),
    tls: where('tls'),
    serverCa: where('serverCa'),
    serverName: where('serverName'),
    clientCert: where('clientCert'),
    clientKey: where('clientKey'),
  };

  checkTlsFiles(profile, origin);
  const address = ov.address ?? (profile.address || DEFAULT_TEMPORAL_ADDRESS);
  if (!/^[^\s:]+:\d+$/.test(address) && !/^\[[^\]]+\]:\d+$/.test(address)) {
    throw new TemporalConnectionError(
      `${origin.address}: "${address}" is not host:port; use e.g. 127.0.0.1:7233 or <ns>.<account>.tmprl.cloud:7233`,
      'address-invalid',
    );
  }
  const { connectionOptions, namespace } = toClientOptions({ ...profile, address });
  const tls = connectionOptions.tls ?? undefined;
  const tlsMode = tls === undefined || tls === false ? 'off' : typeof tls === 'object' && tls.clientCertPair ? 'mtls' : 'tls';
  const apiKey = typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined;
  return {
    namespace: ov.namespace ?? (namespace || DEFAULT_TEMPORAL_NAMESPACE),
    options: {
      address,
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(profile.grpcMeta && Object.keys(profile.grpcMeta).length ? { metadata: profile.grpcMeta } : {}),
    },
    profile: profileName ?? 'default',
    ...(configFile !== undefined ? { configFile } : {}),
    tlsMode,
    origin,
  };
}

function lookup(p: ClientConfigProfile, s: Exclude<TemporalSetting, 'tls'>): unknown {
  switch (s) {
    case 'address':
      return p.address;
    case 'namespace':
      return p.namespace;
    case 'apiKey':
      return p.apiKey;
    case 'serverCa':
      return p.tls?.serverCACert;
    case 'serverName':
      return p.tls?.serverName;
    case 'clientCert':
      return p.tls?.clientCert;
    case 'clientKey':
      return p.tls?.clientKey;
  }
}

/** Every certificate or key named by path must exist; a client certificate needs its key and back. */
function checkTlsFiles(profile: ClientConfigProfile, origin: Record<TemporalSetting, string>): void {
  const tls = profile.tls;
  if (!tls || tls.disabled) return;
  const files: [TemporalSetting, ConfigDataSource | undefined, string][] = [
    ['serverCa', tls.serverCACert, 'the PEM file of the CA that signed the server certificate'],
    ['clientCert', tls.clientCert, 'the PEM file of the client certificate'],
    ['clientKey', tls.clientKey, 'the PEM file of the client private key'],
  ];
  for (const [setting, src, what] of files) {
    if (src && 'path' in src && !existsSync(src.path)) {
      throw new TemporalConnectionError(`${origin[setting]}: file ${src.path} not found; point it at ${what}`, 'tls-file-missing');
    }
  }
  if (tls.clientCert && !tls.clientKey) {
    throw new TemporalConnectionError(
      `${origin.clientCert} is set but no client key is; set TEMPORAL_TLS_CLIENT_KEY_PATH (or ${TOML_KEY.clientKey} in the profile) to its private key`,
      'tls-incomplete',
    );
  }
  if (tls.clientKey && !tls.clientCert) {
    throw new TemporalConnectionError(
      `${origin.clientKey} is set but no client certificate is; set TEMPORAL_TLS_CLIENT_CERT_PATH (or ${TOML_KEY.clientCert} in the profile) too`,
      'tls-incomplete',
    );
  }
}

/** One line for logs: address, namespace, TLS mode and where they came from (never key material). */
export function describeTemporalConnection(c: TemporalConnection): string {
  const auth = [c.tlsMode === 'off' ? 'no TLS' : c.tlsMode === 'mtls' ? 'mTLS' : 'TLS', ...(c.options.apiKey ? ['API key'] : [])].join(
    ' + ',
  );
  const from = c.configFile ? `profile "${c.profile}" of ${c.configFile}` : 'TEMPORAL_* variables';
  return `${c.options.address} namespace ${c.namespace} (${auth}; ${from})`;
}

/**
 * Connects with `connect` (`Connection.connect` or `NativeConnection.connect`); a failure becomes a
 * {@link TemporalConnectionError} whose message says why (refused, not TLS, untrusted certificate,
 * client certificate required, rejected credentials) and which setting to fix.
 */
export async function connectTemporal<T>(c: TemporalConnection, connect: (o: TemporalConnectionOptions) => Promise<T>): Promise<T> {
  try {
    return await connect(c.options);
  } catch (err) {
    const d = await diagnoseTemporalConnection(c, err);
    throw new TemporalConnectionError(
      `cannot connect to Temporal at ${c.options.address} (${describeOrigin(c)}): ${d.reason}; ${d.fix}`,
      d.code,
      {
        cause: err,
      },
    );
  }
}

function describeOrigin(c: TemporalConnection): string {
  return c.origin.address === 'default' ? 'the default address' : `from ${c.origin.address}`;
}
