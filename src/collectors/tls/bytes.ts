/** A copy of bytes in a plain ArrayBuffer, as the WebCrypto-typed PKI libraries want. */
export function ab(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}
