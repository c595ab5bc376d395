/** Experiment-template validation of the simulated FIS (the runbooks' FIS catalog) and stop-condition alarm names. */
import type { FisExperimentTemplateInput } from '../../activities/aws/ports';
import { checkFisDocument } from '../../runbooks/fis-templates/check-fis';
import { SimAwsError } from '../world';

/** Parses an ISO-8601 duration (`PT30M`, `PT1H30M`, `PT90S`, `P1D`) into ms; undefined if malformed. */
export { parseIsoDuration } from '../../runbooks/fis-catalog';

/** Name of the alarm in a stop-condition value (an alarm ARN, or a bare name). */
export function alarmNameOf(value: string): { name: string; region?: string } {
  const m = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:(.+)$/.exec(value);
  return m ? { name: m[2]!, region: m[1]! } : { name: value };
}

/** Throws the `ValidationException` FIS answers a bad request with. */
export const invalid = (message: string): never => {
  throw new SimAwsError('ValidationException', message, 400);
};

/**
 * Validates a template against the FIS catalog the runbooks use (`runbooks/fis-templates/check-fis`,
 * the same action ids, target keys, resource types, parameters and formats); throws
 * `ValidationException` naming each field and its problem, as CreateExperimentTemplate does.
 * gameday's policy is not FIS's: a `{source: "none"}` stop condition is accepted here.
 */
export function validateTemplate(t: FisExperimentTemplateInput): void {
  const { issues } = checkFisDocument(t);
  if (issues.length > 0) invalid(issues.map((i) => `${i.path.replace(/^\$\.?/, '') || '(template)'}: ${i.message}`).join('; '));
}
