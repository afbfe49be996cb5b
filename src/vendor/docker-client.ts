/** The only door to dockerode for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { default as Dockerode } from 'dockerode';
