/**
 * Errors a user can act on. Each maps to exit code 2 and prints as one line, no stack trace.
 * `InputError` names the file, the 1-based line and the column; `UsageError` names the flag.
 */
export class ReceValError extends Error {
  readonly exitCode: number = 2
  readonly code: string = 'RECEVAL_ERROR'
}

export interface InputLocation {
  file: string
  line?: number
  column?: string
}

/** A problem with an input file: where it is and what is wrong. */
export class InputError extends ReceValError {
  override readonly code: string = 'INPUT_ERROR'
  readonly file: string
  readonly line?: number
  readonly column?: string
  readonly detail: string

  constructor(loc: InputLocation, detail: string) {
    super(formatLocation(loc) + detail)
    this.file = loc.file
    this.line = loc.line
    this.column = loc.column
    this.detail = detail
    this.name = 'InputError'
  }
}

/** A flag or argument that cannot be used as given. */
export class UsageError extends ReceValError {
  override readonly code: string = 'USAGE_ERROR'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A check the user asked for failed (a gate rule): exit 1. */
export class CheckFailed extends ReceValError {
  override readonly exitCode: number = 1
  override readonly code: string = 'CHECK_FAILED'
}

export function formatLocation(loc: InputLocation): string {
  let s = loc.file
  if (loc.line !== undefined) s += `:${loc.line}`
  if (loc.column !== undefined) s += `: column "${loc.column}"`
  return s + ': '
}
