/** Where scripts/node24.mjs puts better-sqlite3 `version` built for Node `nodeVersion`, from here. */
export function addonFile(version, nodeVersion) {
  return `node_modules/.addons/better-sqlite3-${version}-node-${nodeVersion}.node`;
}
