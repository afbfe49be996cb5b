/** Embeddings.vectors on the wire: little-endian Float32, base64 (a quarter of the JSON size in the history). */
export const encodeVector = (vector: Float32Array): string => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');

export function decodeVector(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}
