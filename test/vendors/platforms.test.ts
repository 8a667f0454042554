// The vendor fields for hosted platforms (hostedPlatform, supersedes) and offsite cms rules:
// accepted by the schema where they mean something, refused by lint where they cannot.
import { describe, expect, it } from 'vitest';
import { loadVendorDb, VendorDbError } from '../../src/vendors/load.js';
import type { VendorEntry } from '../../src/vendors/types.js';
import { writeData } from './helpers.js';

const ex = (match: string[], nomatch: string[]) => ({ match, nomatch });
const co = { id: 'wix', name: 'Wix.com Ltd.', country: 'IL' };

function wix(over: Partial<VendorEntry> = {}): VendorEntry {
  return {
    id: 'wix', name: 'Wix', company: co, categories: ['cms', 'hosting'], hostedPlatform: true, source: 'https://support.wix.com/',
    rules: [{ kind: 'script', pattern: '^https://static\\.parastorage\\.com/', offsite: true, category: 'cms', examples: ex(['https://static.parastorage.com/a.js'], ['https://a.com/a.js']) }],
    ...over,
  };
}
const generic: VendorEntry = {
  id: 'site-builder', name: 'Site builder', company: co, categories: ['cms'], source: 'https://support.wix.com/',
  rules: [{ kind: 'generator', pattern: '^Builder$', category: 'cms', examples: ex(['Builder'], ['Wix']) }],
};

function problems(vendors: VendorEntry[]): string {
  try {
    loadVendorDb({ dataDir: writeData({ 'p.json': vendors }) });
    return '';
  } catch (e) {
    if (e instanceof VendorDbError) return e.message;
    throw e;
  }
}

describe('hosted platform fields', () => {
  it('load when they are meaningful', () => {
    expect(problems([wix({ supersedes: ['site-builder'] }), generic])).toBe('');
  });

  it('a hosted platform lists both cms and hosting', () => {
    expect(problems([wix({ categories: ['cms'] })])).toContain("p.json: vendor wix: hostedPlatform: a hosted platform lists both 'cms' and 'hosting' in its categories");
  });

  it('offsite is for cms rules only', () => {
    const v = wix({ categories: ['cms', 'hosting', 'assets'] });
    v.rules[0]!.category = 'assets';
    expect(problems([v])).toContain('p.json: vendor wix: rules[0].offsite: only a cms rule is limited to the site\'s own hosts; drop offsite');
  });

  it('supersedes names an existing vendor that shares a category', () => {
    expect(problems([wix({ supersedes: ['nobody'] })])).toContain("p.json: vendor wix: supersedes: no vendor 'nobody'");
    expect(problems([wix({ supersedes: ['wix'] })])).toContain("p.json: vendor wix: supersedes: 'wix' shares no category with it");
  });

  it('the schema refuses offsite on a kind that has no host to be off', () => {
    const v = wix();
    (v.rules[0] as unknown as Record<string, unknown>).kind = 'generator';
    expect(problems([v])).toContain("p.json: vendor wix: rules[0]: unknown property 'offsite'");
  });
});
