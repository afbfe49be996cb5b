/** The only door to neo4j-driver for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { default as neo4j } from 'neo4j-driver';
