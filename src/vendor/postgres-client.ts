/** The only door to pg for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { default as pg } from 'pg';
