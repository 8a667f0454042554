// What the world's servers return when started; src/world/start.ts composes them.
export interface DnsServerHandle {
  /** Address the resolver listens on (UDP and TCP, same port). */
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface WebServerHandle {
  httpPort: number;
  httpsPort: number;
  /** PEM of the world's root CA certificates, to be trusted by clients. */
  rootsPem: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Overrides the world's latencyMs. */
  latencyMs?: number;
  /** Bind the standard ports 53/80/443 instead of ephemeral ones. */
  standardPorts?: boolean;
  /** Directory `bodyFile` paths are relative to (the world file's directory). */
  baseDir?: string;
}
