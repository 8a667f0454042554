// Which site a host name reaches, and what it answers on each port.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { World, WorldHttp, WorldSite } from '../types.js';

export function normalizeHost(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Host header → host name: strips the port (and IPv6 brackets). */
export function hostFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m ? normalizeHost(m[1]!) : undefined;
}

export interface SiteMatch {
  /** The `sites` key that matched (the host itself or `*.parent`). */
  key: string;
  /** The host name asked for. */
  name: string;
  site: WorldSite;
}

export class SiteTable {
  private readonly sites = new Map<string, WorldSite>();
  private readonly bodies = new Map<string, Promise<Buffer>>();

  constructor(
    world: World,
    private readonly baseDir: string,
  ) {
    for (const [name, site] of Object.entries(world.sites ?? {})) this.sites.set(normalizeHost(name), site);
  }

  /** The site for a host name: exact key first, then a wildcard key `*.parent`. */
  lookup(host: string | undefined): SiteMatch | undefined {
    if (!host) return undefined;
    const name = normalizeHost(host);
    const exact = this.sites.get(name);
    if (exact) return { key: name, name, site: exact };
    const dot = name.indexOf('.');
    const key = dot > 0 ? `*${name.slice(dot)}` : '';
    const wild = this.sites.get(key);
    return wild ? { key, name, site: wild } : undefined;
  }

  /** A site answers `plainHttp` on port 80 when it has one, `http` otherwise (and always on 443). */
  static answerFor(site: WorldSite, secure: boolean): WorldHttp {
    return (!secure && site.plainHttp) || site.http || {};
  }

  /** The body bytes of an answer; bodyFile is read once and cached. */
  async body(answer: WorldHttp): Promise<Buffer> {
    if (answer.bodyFile === undefined) return Buffer.from(answer.body ?? '', 'utf8');
    const file = path.resolve(this.baseDir, answer.bodyFile);
    let p = this.bodies.get(file);
    if (!p) {
      p = readFile(file);
      this.bodies.set(file, p);
    }
    return p;
  }
}
