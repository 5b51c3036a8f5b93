/**
 * The engine functions the App uses, behind one interface so tests can count or replace
 * them and the App never reaches into engine internals.
 */
import type { Diagnostic, MetaConfig } from '../engine/config/types.js';
import type { InfraModel } from '../engine/model/types.js';
import { parseEnvironment } from '../engine/config/index.js';
import { toInfraModel } from '../engine/model/index.js';
import { estimateCost } from '../engine/cost/index.js';

export interface AppEngine {
  /** Parses and validates one environment file (positions in every diagnostic). */
  parse(file: string, text: string): { config?: MetaConfig; diagnostics: Diagnostic[] };
  model(config: MetaConfig): InfraModel;
  /** Estimated monthly cost in USD, or undefined when no estimate is available. */
  monthlyCost(model: InfraModel): number | undefined;
}

export function createEngine(
  /** `monthlyCost` defaults to the engine's list-price estimate (src/engine/cost). */
  options: { monthlyCost?: (model: InfraModel) => number | undefined } = {},
): AppEngine {
  return {
    parse: (file, text) => parseEnvironment(file, text),
    model: (config) => toInfraModel(config),
    monthlyCost: options.monthlyCost ?? ((model) => estimateCost(model).monthly_usd),
  };
}
