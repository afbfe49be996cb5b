/** The only door to ioredis for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-store-libraries.js. */
export { Redis } from 'ioredis';
