#!/bin/bash
# Scaffolds the Nx project files (project.json, tsconfig, jest config) for a lib or app.
# usage: tools/scripts/new-project.sh <root> <nx-name> <tag> [lib|app]
# usage: mklib.sh <root> <name> <tag> [lib|app]
root=$1; name=$2; tag=$3; kind=${4:-lib}
depth=$(echo "$root" | awk -F/ '{print NF}'); up=$(printf '../%.0s' $(seq 1 $depth))
mkdir -p $root/src
cat > $root/project.json <<EOT
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$( [ $kind = app ] && echo application || echo library )",
  "tags": ["$tag"],
  "targets": {
    "test": {
      "executor": "@nx/jest:jest",
      "outputs": ["{workspaceRoot}/coverage/{projectRoot}"],
      "options": { "jestConfig": "$root/jest.config.cts", "passWithNoTests": false }
    },
    "lint": { "executor": "@nx/eslint:lint" },
    "typecheck": {
      "executor": "nx:run-commands",
      "options": { "command": "tsc -p $root/tsconfig.json --noEmit" }
    }
  }
}
EOT
cat > $root/tsconfig.json <<EOT
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "test/**/*.ts"]
}
EOT
cat > $root/tsconfig.spec.json <<EOT
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "isolatedModules": true, "sourceMap": true }
}
EOT
cat > $root/jest.config.cts <<EOT
module.exports = {
  displayName: '$name',
  preset: '${up}jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '${up}coverage/$root',
};
EOT
