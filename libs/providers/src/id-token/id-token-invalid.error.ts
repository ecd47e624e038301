/** The ID Token itself is not acceptable (signature, claims, binding): the approval must fail. */
export class IdTokenInvalidError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdTokenInvalidError';
  }
}
