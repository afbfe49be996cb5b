/** The only door to @qdrant/js-client-rest for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { QdrantClient } from '@qdrant/js-client-rest';
