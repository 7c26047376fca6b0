import { createServer } from 'node:net';
import { StartupError } from './startup-error.js';

/** A port Parley listens on, and the variable that sets it (for the message when it cannot). */
export interface PortSpec {
  host: string;
  port: number;
  /** What listens there, for the message: `the HTTP API`, `the built-in WhatsApp emulator`. */
  role: string;
  /** The variable that sets the port, e.g. `PARLEY_PORT`. */
  variable: string;
  /** One more way out, e.g. `or PARLEY_EMULATOR=off to run without the emulator`. */
  alternative?: string;
}

/** Turns a listen error into a message naming the port, what wanted it and the variable that sets it. */
export function listenFailure(spec: PortSpec, error: unknown): StartupError | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  const where = `${spec.host}:${spec.port}`;
  const fix = `set ${spec.variable} to a free port (${spec.variable}=0 picks one)${spec.alternative ? `, ${spec.alternative}` : ''}.`;
  if (code === 'EADDRINUSE') return new StartupError(`Port ${spec.port} is already in use: ${spec.role} cannot listen on ${where} (${spec.variable}=${spec.port}). Stop what holds it, or ${fix}`);
  if (code === 'EACCES') return new StartupError(`Not allowed to listen on ${where} for ${spec.role} (${spec.variable}=${spec.port}): ports below 1024 need privileges. Run with them, or ${fix}`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new StartupError(`Cannot listen on ${where} for ${spec.role}: ${spec.host} is not an address of this machine. Set PARLEY_HOST to one of its addresses (127.0.0.1, 0.0.0.0 for all).`);
  return undefined;
}

/**
 * Refuses to start, before anything is written, when a port Parley needs is taken: binds it for a moment
 * and lets go. (Port 0 is always free.) A port taken between this check and the real listen is reported
 * the same way by `listenFailure`.
 */
export async function assertPortsFree(specs: PortSpec[]): Promise<void> {
  for (const spec of specs) {
    if (spec.port === 0) continue;
    const error = await new Promise<unknown>((resolve) => {
      const server = createServer();
      server.once('error', resolve);
      server.listen({ host: spec.host, port: spec.port, exclusive: true }, () => server.close(() => resolve(undefined)));
    });
    if (error) throw listenFailure(spec, error) ?? error;
  }
}
