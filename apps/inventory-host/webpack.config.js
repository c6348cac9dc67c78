const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// One bundle of our code (libs included) that runs with plain `node`; npm packages stay external
// and are installed from the lock file (native better-sqlite3 cannot be bundled).
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/inventory-host') },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
};
