/** The shape of `wast2json`'s command list (wabt 1.0.32), as far as the harness reads it. */

export interface WastValue {
  /** i32, i64, f32, f64, v128, funcref, externref */
  readonly type: string;
  /** Integers and float bit patterns as unsigned decimal strings; `null` for null refs; lanes for v128. Absent in assert_trap's expected types. */
  readonly value?: string | readonly string[];
  /** v128 only: i8, i16, i32, i64, f32, f64. */
  readonly lane_type?: string;
}

export interface WastAction {
  readonly type: 'invoke' | 'get';
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly WastValue[];
}

export type WastCommand =
  | { readonly type: 'module'; readonly line: number; readonly filename: string; readonly name?: string }
  | { readonly type: 'register'; readonly line: number; readonly as: string; readonly name?: string }
  | {
      readonly type: 'assert_return' | 'assert_trap' | 'assert_exhaustion' | 'action';
      readonly line: number;
      readonly action: WastAction;
      readonly expected?: readonly WastValue[];
      readonly text?: string;
    }
  | { readonly type: 'assert_uninstantiable' | 'assert_unlinkable'; readonly line: number; readonly filename: string; readonly text?: string }
  | { readonly type: 'assert_invalid' | 'assert_malformed'; readonly line: number; readonly filename: string };

export interface WastScript {
  readonly source_filename: string;
  readonly commands: readonly WastCommand[];
}
