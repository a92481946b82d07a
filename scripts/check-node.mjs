// Runs before start, web, build and test. Kept to syntax any old Node can parse, so that an
// old Node gets this message rather than a crash deep inside better-sqlite3.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    'Posthorn needs Node.js 22 or newer; this is Node ' +
      process.versions.node +
      '.\n' +
      'Install Node 22 LTS (https://nodejs.org, or your version manager: nvm install 22), then run npm ci again.',
  );
  process.exit(1);
}
