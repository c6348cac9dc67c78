import { applyChangesToString, ChangeType, type StringChange } from '@nx/devkit';
import * as ts from 'typescript';

/** Where the host lists the plugins it ships with. */
export const BUILT_IN_PLUGINS_FILE = 'apps/inventory-host/src/plugins/built-in-plugins.ts';
const ARRAY_NAME = 'builtInPlugins';

/**
 * Adds `import { <exportName> } from '<importPath>'` and the plugin to the `builtInPlugins` array.
 * Works on the syntax tree rather than on text patterns, so the array may be empty, on one line or
 * spread over several, with or without a trailing comma. Returns the source unchanged when the
 * plugin is already registered.
 */
export function registerBuiltInPlugin(source: string, exportName: string, importPath: string): string {
  const file = ts.createSourceFile(BUILT_IN_PLUGINS_FILE, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = file.statements.filter(ts.isImportDeclaration);
  const alreadyImported = imports.some((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text === importPath);
  const array = findArray(file);
  if (!array) throw new Error(`${BUILT_IN_PLUGINS_FILE}: no "export const ${ARRAY_NAME} = [...]" array found to register the plugin in`);
  const listed = array.elements.some((e) => ts.isIdentifier(e) && e.text === exportName);
  if (alreadyImported && listed) return source;
  if (alreadyImported !== listed) {
    throw new Error(`${BUILT_IN_PLUGINS_FILE} half-registers ${importPath} (${alreadyImported ? 'imported but not listed' : 'listed but not imported'}): fix it by hand first`);
  }

  const changes: StringChange[] = [];
  const importLine = `import { ${exportName} } from '${importPath}';`;
  const lastImport = imports[imports.length - 1];
  changes.push(
    lastImport ? { type: ChangeType.Insert, index: lastImport.getEnd(), text: `\n${importLine}` } : { type: ChangeType.Insert, index: 0, text: `${importLine}\n` },
  );

  const elements = array.elements;
  if (elements.length === 0) {
    changes.push({ type: ChangeType.Insert, index: array.getEnd() - 1, text: exportName });
  } else {
    const last = elements[elements.length - 1];
    const opening = source.slice(array.getStart(file) + 1, elements[0].getStart(file));
    if (opening.includes('\n')) {
      // One element per line: copy the last element's indentation.
      const lineStart = source.lastIndexOf('\n', last.getStart(file)) + 1;
      const indent = source.slice(lineStart, last.getStart(file)).replace(/\S[\s\S]*$/, '');
      changes.push({ type: ChangeType.Insert, index: last.getEnd(), text: `,\n${indent}${exportName}` });
    } else {
      changes.push({ type: ChangeType.Insert, index: last.getEnd(), text: `, ${exportName}` });
    }
  }
  return applyChangesToString(source, changes);
}

function findArray(file: ts.SourceFile): ts.ArrayLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || decl.name.text !== ARRAY_NAME || !decl.initializer) continue;
      let init: ts.Expression = decl.initializer;
      // `[...] as const`, `[...] satisfies X` and parentheses wrap the literal.
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isArrayLiteralExpression(init)) return init;
    }
  }
  return undefined;
}
