// How Charter's processes reach Temporal: the address, and for a cluster that asks for it, TLS
// (the server's CA, a client certificate for mutual TLS, the name to check) and an API key
// (Temporal Cloud). The same settings for `charter serve`, `charter worker` and `npm start`; the
// files are read once, at start, and a file that cannot be read or a certificate without its key
// stops the process with the variable named (exit 2), never a plain connection in their place.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The variables, beside TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (workflows/config.ts). */
export const temporalTransportSettings = {
  /** `true`: TLS with the system's CAs even when no file below is given. */
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  /** PEM file of the CA that signed the server's certificate (else the system's CAs). */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  /** PEM files of this process's client certificate and its key, for mutual TLS: both or neither. */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name the server's certificate must carry when it is not the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** A file holding a Temporal Cloud API key (sent as a bearer token; implies TLS). */
  TEMPORAL_API_KEY_FILE: z.string().min(1).optional(),
};

type TransportValues = {
  TEMPORAL_ADDRESS: string;
} & { [K in keyof typeof temporalTransportSettings]?: string | undefined };

/** What `Connection.connect` and `NativeConnection.connect` take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

export class TemporalTransportError extends Error {}

function readSetting(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : String(error);
    throw new TemporalTransportError(`${name}: cannot read ${file} (${why})`);
  }
}

/** The connection options the settings describe; throws TemporalTransportError naming the variable. */
export function temporalConnectionOptions(settings: TransportValues): TemporalConnectionOptions {
  const cert = settings.TEMPORAL_TLS_CERT_FILE;
  const key = settings.TEMPORAL_TLS_KEY_FILE;
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? 'TEMPORAL_TLS_CERT_FILE' : 'TEMPORAL_TLS_KEY_FILE';
    throw new TemporalTransportError(
      `${missing}: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (a client certificate and its key)`,
    );
  }
  const apiKeyFile = settings.TEMPORAL_API_KEY_FILE;
  const apiKey =
    apiKeyFile === undefined
      ? undefined
      : readSetting('TEMPORAL_API_KEY_FILE', apiKeyFile).toString('utf8').trim();
  if (apiKey === '') throw new TemporalTransportError(`TEMPORAL_API_KEY_FILE: ${apiKeyFile} is empty`);
  const anyTls =
    settings.TEMPORAL_TLS === 'true' ||
    apiKey !== undefined ||
    cert !== undefined ||
    settings.TEMPORAL_TLS_CA_FILE !== undefined ||
    settings.TEMPORAL_TLS_SERVER_NAME !== undefined;
  if (settings.TEMPORAL_TLS === 'false' && anyTls) {
    throw new TemporalTransportError(
      'TEMPORAL_TLS: false, but a TLS file, server name or API key is set (a key must not travel unencrypted)',
    );
  }
  if (!anyTls) return { address: settings.TEMPORAL_ADDRESS };
  const tls: NonNullable<TemporalConnectionOptions['tls']> = {};
  if (settings.TEMPORAL_TLS_CA_FILE !== undefined)
    tls.serverRootCACertificate = readSetting('TEMPORAL_TLS_CA_FILE', settings.TEMPORAL_TLS_CA_FILE);
  if (cert !== undefined && key !== undefined)
    tls.clientCertPair = {
      crt: readSetting('TEMPORAL_TLS_CERT_FILE', cert),
      key: readSetting('TEMPORAL_TLS_KEY_FILE', key),
    };
  if (settings.TEMPORAL_TLS_SERVER_NAME !== undefined)
    tls.serverNameOverride = settings.TEMPORAL_TLS_SERVER_NAME;
  return { address: settings.TEMPORAL_ADDRESS, tls, ...(apiKey === undefined ? {} : { apiKey }) };
}

/** Only what a connection takes, from options that also carry other settings. */
export const connectionPart = (options: TemporalConnectionOptions): TemporalConnectionOptions => ({
  address: options.address,
  ...(options.tls === undefined ? {} : { tls: options.tls }),
  ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
});

/** For start-up lines: `127.0.0.1:7233` or `temporal.example:7233 (TLS, client certificate, API key)`. */
export function describeTemporal(options: TemporalConnectionOptions): string {
  if (options.tls === undefined) return options.address;
  const parts = [
    'TLS',
    ...(options.tls.clientCertPair ? ['client certificate'] : []),
    ...(options.apiKey === undefined ? [] : ['API key']),
  ];
  return `${options.address} (${parts.join(', ')})`;
}
