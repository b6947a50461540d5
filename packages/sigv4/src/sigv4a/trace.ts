import type { SignatureSteps } from '../signing-steps.ts';
import type { Prepared } from '../signing-input.ts';
import type { TraceStep } from '../trace.ts';
import { ALGORITHM_V4A } from './constants.ts';
import type { V4aSteps } from './steps.ts';

/**
 * The trace of a SigV4a signature: SigV4's steps 1–2 as they are (the same values, the same
 * explanations), then the steps where SigV4a differs — the region set, the region-less scope, the
 * ECDSA string to sign, the derived key pair (public half only) and the ECDSA signature.
 */
export function v4aTrace(
  input: Prepared,
  steps: V4aSteps,
  regionSet: string,
  sigv4Trace: (steps: SignatureSteps) => TraceStep[],
): TraceStep[] {
  const base = sigv4Trace({ ...steps, signingKey: new Uint8Array(0) });
  const replaced: Partial<Record<TraceStep['id'], TraceStep>> = {
    'credential-scope': {
      id: 'credential-scope',
      title: 'Credential scope (SigV4a)',
      explanation: 'Date and service only: a SigV4a signature names no region here; the signed X-Amz-Region-Set says where it is valid.',
      inputs: { date: input.time.dateStamp, service: input.service },
      output: steps.credentialScope,
    },
    'string-to-sign': {
      id: 'string-to-sign',
      title: 'String to sign (step 3, SigV4a)',
      explanation: `${ALGORITHM_V4A}, time, the region-less scope and the canonical request hash.`,
      inputs: {},
      output: steps.stringToSign,
    },
    'signing-key': {
      id: 'ecdsa-key',
      title: 'ECDSA P-256 key (step 4a, SigV4a)',
      explanation:
        'k0 = HMAC-SHA256("AWS4A" + secret, 0x00000001 ‖ "AWS4-ECDSA-P256-SHA256" ‖ 0x00 ‖ accessKeyId ‖ counter ‖ 0x00000100); the first k0 ≤ n−2 gives the private key k0+1. Only the public point is shown.',
      inputs: { accessKeyId: input.credentials.accessKeyId, counter: String(steps.keyPair.counter || 'explicit key') },
      output: `public key X=${steps.keyPair.publicX}\n           Y=${steps.keyPair.publicY}`,
    },
    signature: {
      id: 'signature',
      title: 'Signature (step 4b, SigV4a)',
      explanation:
        'ECDSA P-256 over SHA-256 of the string to sign, DER-encoded, in hex. ECDSA is randomised: each signing gives a different valid signature.',
      inputs: {},
      output: steps.signature,
    },
  };
  const out: TraceStep[] = [];
  for (const step of base) {
    out.push(replaced[step.id] ?? step);
    if (step.id === 'signing-time') {
      out.push({
        id: 'region-set',
        title: 'Region set (SigV4a)',
        explanation: 'The regions this signature is valid in (* matches any run of characters), sent and signed as X-Amz-Region-Set.',
        inputs: {},
        output: regionSet,
      });
    }
  }
  return out;
}
