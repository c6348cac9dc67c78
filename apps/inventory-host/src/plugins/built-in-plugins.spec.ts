import { builtInPlugins } from './built-in-plugins';
import { validateManifest } from './manifest-validator';

// Every plugin the host ships passes the same manifest rules the loader applies at start, so a
// generated or edited plugin that the host would reject fails here, not in production.
describe('built-in plugins', () => {
  it('every manifest passes the host rules, with unique ids and channel types', () => {
    const taken = new Map<string, string>();
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const pkg of builtInPlugins) {
      const id = pkg.manifest.id;
      problems.push(...validateManifest(pkg.manifest, taken).map((p) => `${id}: ${p}`));
      if (ids.has(id)) problems.push(`${id}: the id is used twice`);
      ids.add(id);
      for (const ct of pkg.manifest.contributes.channelTypes ?? []) taken.set(ct.id, id);
      if (typeof pkg.load !== 'function') problems.push(`${id}: load is not a function`);
    }
    expect(problems).toEqual([]);
  });
});
