import { mergeB7Section } from './b7-report';

const doc = ['# Benchmarks', '', 'intro', '', '## B1 x', '', 'b1', '', '## B4 admin API', '', 'b4', '', '## B5 CSV in and out', '', 'b5', '', '## Reading', '', '- r', ''].join('\n');

describe('mergeB7Section', () => {
  it('puts the section after B4 and leaves the others byte for byte', () => {
    const out = mergeB7Section(doc, ['## B7 Live Listings at a million listings', '', 'first', '']);
    expect(out).toBe(doc.replace('## B5 CSV', '## B7 Live Listings at a million listings\n\nfirst\n\n## B5 CSV'));
  });

  it('replaces its own section on the next run', () => {
    const once = mergeB7Section(doc, ['## B7 Live Listings at a million listings', '', 'first', '']);
    const twice = mergeB7Section(once, ['## B7 Live Listings at a million listings', '', 'second', 'more', '']);
    expect(twice).toBe(doc.replace('## B5 CSV', '## B7 Live Listings at a million listings\n\nsecond\nmore\n\n## B5 CSV'));
  });

  it('goes before the reading when there is no B4 section, at the end when there is neither', () => {
    expect(mergeB7Section('# B\n\n## Reading\n\nr\n', ['## B7 T', '', 'x', ''])).toBe('# B\n\n## B7 T\n\nx\n\n## Reading\n\nr\n');
    expect(mergeB7Section('# B\n', ['## B7 T', '', 'x', ''])).toBe('# B\n\n## B7 T\n\nx\n');
  });
});
