import type { ValueType } from "../attribute/index.js";

/** Template varieties (Mixer extensions.proto TemplateVariety). */
export enum Variety {
  CHECK = 0,
  REPORT = 1,
  QUOTA = 2,
  ATTRIBUTE_GENERATOR = 3,
  CHECK_WITH_OUTPUT = 4,
}

/** A field's declared type: a concrete value type, or `"VALUE"` (istio.policy.v1beta1.Value: any). */
export type FieldType = ValueType | "VALUE";

/** One template field. Config uses `protoName` (snake_case; camelCase accepted), instances use `name`. */
export interface FieldSpec {
  readonly name: string;
  readonly protoName: string;
  readonly type: FieldType;
  /** `map<string, type>` of expressions. */
  readonly map: boolean;
}

/** A compiled-in template (Mixer template.proto + generated info). */
export interface TemplateInfo {
  readonly name: string;
  readonly variety: Variety;
  readonly description: string;
  readonly fields: readonly FieldSpec[];
}
