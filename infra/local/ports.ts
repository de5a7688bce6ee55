import { createServer } from 'node:net';

export interface PlatformPorts {
  /** Web app, REST API (/api), WebSocket API (/ws) and the @connections endpoint. */
  gateway: number;
  dynamodb: number;
  cognito: number;
}

export class PortInUse extends Error {
  constructor(
    readonly port: number,
    readonly envName: string,
    readonly purpose: string,
  ) {
    super(
      `Port ${port} (${purpose}) is already in use. Stop whatever uses it, or set ${envName} to a free port.`,
    );
  }
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}

export function portsFromEnv(): PlatformPorts {
  return {
    gateway: envPort('PORT', 3000),
    dynamodb: envPort('DYNAMODB_PORT', 8000),
    cognito: envPort('COGNITO_PORT', 9229),
  };
}

export function assertPortFree(port: number, envName: string, purpose: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUse(port, envName, purpose) : err),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** An ephemeral port the OS hands out (tests use it to start platforms side by side). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
