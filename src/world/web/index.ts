// The world's TLS and HTTP servers (docs/contracts.md "World"); src/world/start.ts composes them with DNS.
export { startWebServer, LIMITS, WRONG_HOST_NAME, DEFAULT_CERT_NAME, type WebServerOptions } from './server.js';
