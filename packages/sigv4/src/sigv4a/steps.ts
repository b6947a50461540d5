import type { SignatureSteps } from '../signing-steps.ts';
import type { V4aKeyPair } from './key-derivation.ts';

/** Steps 1 to 4 of SigV4a, for sign, presign and the trace. */
export interface V4aSteps extends Omit<SignatureSteps, 'signingKey'> {
  /** The key pair that signed. */
  keyPair: V4aKeyPair;
}
