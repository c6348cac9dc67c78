#!/usr/bin/env node
// `npm run bench [-- --quick|--medium|--large ...]`: runs the TypeScript entry through register.js
// (ts-node and the workspace's path aliases).
require('./register');
require('./src/main.ts');
