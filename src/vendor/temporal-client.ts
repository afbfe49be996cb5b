/** The only door to @temporalio/client for values (types may be imported directly): `npm run build` bundles it, see scripts/bundle-vendor.js. */
export { Client, Connection, isGrpcServiceError } from '@temporalio/client';
export { msToTs } from '@temporalio/common/lib/time.js';
