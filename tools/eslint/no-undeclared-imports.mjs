import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every npm package a file imports must be declared in the root package.json, so `npm ci` and the
// bundle's generated package.json install it: production code (apps' and libs' src) from
// `dependencies`, tests, tools and configs from `devDependencies` too. A type-only import may also
// use a devDependency or its @types package (it leaves nothing at runtime).
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsPaths = Object.keys(JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions?.paths ?? {});
const prod = new Set(Object.keys(pkg.dependencies ?? {}));
const dev = new Set(Object.keys(pkg.devDependencies ?? {}));
const builtins = new Set(builtinModules);

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isWorkspace(spec) {
  return tsPaths.some((p) => (p.endsWith('*') ? spec.startsWith(p.slice(0, -1)) : spec === p || spec.startsWith(`${p}/`)));
}

function typesPackage(name) {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'npm packages imported must be declared in the root package.json' },
    schema: [{ type: 'object', properties: { allowDevDependencies: { type: 'boolean' } }, additionalProperties: false }],
    messages: {
      undeclared: '"{{name}}" is imported but not declared in package.json {{section}}: add it (npm install --save-exact {{name}}@<version>).',
    },
  },
  create(context) {
    const allowDev = context.options[0]?.allowDevDependencies ?? false;
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string' || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return;
      if (isWorkspace(spec)) return;
      const name = packageName(spec);
      if (builtins.has(name) || prod.has(name)) return;
      if ((allowDev || typeOnly) && (dev.has(name) || dev.has(typesPackage(name)))) return;
      context.report({ node, messageId: 'undeclared', data: { name, section: allowDev || typeOnly ? '(dependencies or devDependencies)' : '"dependencies"' } });
    };
    const typeOnlyImport = (node) => node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, typeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value, false),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node.moduleReference.expression, node.moduleReference.expression.value, node.importKind === 'type'),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node.arguments[0], node.arguments[0].value, false);
      },
    };
  },
};

export default { rules: { 'no-undeclared-imports': rule } };
