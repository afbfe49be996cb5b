/** The only door to ioredis for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { Redis } from 'ioredis';
