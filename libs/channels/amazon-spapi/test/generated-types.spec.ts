import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const GENERATED = path.join(root, 'libs/channels/amazon-spapi/src/lib/generated/orders-2026-01-01.ts');

describe('generated SP-API types', () => {
  it('the committed Orders 2026-01-01 types are what `npm run gen:spapi-types` makes from the vendored model', () => {
    const script = pkg.scripts['gen:spapi-types'];
    expect(script).toContain('amazon-models/models/orders_2026-01-01.json');
    // The same command, written to a temporary file instead of the committed one.
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spapi-types-')), 'orders.ts');
    const args = script.replace(/^openapi-typescript\s+/, '').replace(/-o\s+\S+/, `-o ${tmp}`).split(/\s+/);
    execFileSync(process.execPath, [path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), ...args], { cwd: root, stdio: 'pipe' });
    expect(fs.readFileSync(tmp, 'utf8')).toBe(fs.readFileSync(GENERATED, 'utf8'));
  });
});
