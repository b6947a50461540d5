/**
 * `@glassbox/sigv4/diagnose` — why a server rejected a signature: {@link diagnose} compares our
 * canonical request and string to sign with the ones in the server's error, {@link reconstruct} finds
 * what a client actually signed when the server says nothing.
 *
 * @example
 * ```ts
 * import { diagnose } from '@glassbox/sigv4/diagnose';
 * const diagnosis = diagnose(ours, awsErrorBody, { credentials });
 * console.log(diagnosis.causes[0]);
 * ```
 * @packageDocumentation
 */
export { diagnose } from '../diagnose.ts';
export type {
  Diagnosis,
  DiagnosisCause,
  DiagnosisCode,
  DiagnoseInput,
  DiagnoseOptions,
  ServerSignatureReport,
  ErrorBodyFormat,
} from '../diagnose.ts';
export { readServerError } from './error-body.ts';
export type { ServerErrorReading } from './error-body.ts';
export { reconstruct, canonicalByRules } from './reconstruct.ts';
export type {
  Reconstruction,
  ReconstructionCode,
  ReconstructOptions,
  ReconstructedCandidate,
  RuledOut,
  ServerHints,
  CanonicalStrings,
} from './reconstruct.ts';
export type { SignedRequestInput } from './captured-request.ts';
export type { SignerBehaviour, SignerBehaviourCode, BehaviourPart } from './signer-behaviour.ts';
export { checkServerText, expectedSignature } from './server-check.ts';
export type { ServerComputed, ServerTextCheck, ExpectedSignatureCheck, ServerChecks } from './server-check.ts';
